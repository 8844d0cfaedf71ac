"""PDF: the LibreOffice pool and its UNO bridge, finishing and inspection, structure-tree merging into packs."""
