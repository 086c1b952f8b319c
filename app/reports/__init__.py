"""PDF letters and reports (reportlab) and charts (matplotlib figures built without Qt)."""
