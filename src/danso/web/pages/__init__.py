"""HTML routers (server-rendered, htmx for partial updates)."""
