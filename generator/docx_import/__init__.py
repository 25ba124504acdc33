"""`awareness import`: a Word document (.docx, .docm; .doc and .odt through LibreOffice) becomes a draft article.

The stages, one module each, in the order the data flows:
`opening` (checks the file and opens it with python-docx) → `inline` and `blocks` (Word's structure as
Markdown) → `legacy` (TCVN3/VNI runs to Unicode) → `article` (front matter, names, writing) → `report`
(what could not be carried over). Import from the modules: this package's `__init__` stays light,
because the preview server reads DROP_FOLDER from it. `dropped` imports the files a reviewer drops
into content/nhap-word/.
"""

# Here, not in dropped.py: the preview server checks every saved path against it without importing python-docx.
DROP_FOLDER = "nhap-word"
