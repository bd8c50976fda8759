"""The editors' web inbox: server-rendered Swedish pages over the same services as the API.

``routes`` holds the pages (thin: they call ``app.queue`` and the other services, as
the REST routes do), ``sessions`` the browser sign-in (server-side sessions, CSRF
tokens, one-time sign-in links, OIDC authorization code with PKCE), ``docs`` the API
documentation served from the service's own assets.
"""
