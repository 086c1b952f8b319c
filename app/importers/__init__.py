"""Readers of bank and accountant files: one module per format, no database access."""
