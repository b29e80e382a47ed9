"""Storage adapter: the only package that contains SQL (SQLAlchemy Core)."""
