"""Vietnamese text: NFC, slugs, collation, dates, and the legacy encodings (TCVN3, VNI, Windows-1258)."""
