"""`awareness import`: a Word document (.docx, .docm; .doc and .odt through LibreOffice) becomes a draft article.

The stages, one module each, in the order the data flows:
`opening` (checks the file and opens it with python-docx) → `inline` and `blocks` (Word's structure as
Markdown) → `legacy` (TCVN3/VNI runs to Unicode) → `article` (front matter, names, writing) → `report`
(what could not be carried over). `dropped` imports the files a reviewer drops into content/nhap-word/.
"""

from generator.docx_import.article import ImportRequest, import_document
from generator.docx_import.report import ImportFailed, ImportReport

__all__ = ["ImportFailed", "ImportReport", "ImportRequest", "import_document"]
