"""Report outputs: the form's rows (rows.py) written as JSON, CSV and XLSX (official layout)."""
