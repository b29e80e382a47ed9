"""The web application: server-rendered pages (Jinja2 + htmx) and the JSON API (/api/v1)."""
