"""Readers for official reference data shipped by other packages."""
