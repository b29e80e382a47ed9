"""The domain: plain Python (standard library only), no SQL, no web."""
