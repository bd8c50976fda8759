"""Comments: applying platform events, and the read API."""
