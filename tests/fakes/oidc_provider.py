"""A fake OpenID Connect provider: discovery, authorize (signs in a configured person at
once), token (authorization code with PKCE and a client secret) and JWKS.

Served over real HTTP by ``tests.fakes.server.serve``; the browser side of a test
follows the redirects itself.  ``person`` holds the claims the next sign-in gets;
``tamper`` lets a test break one thing (the nonce, the audience) to see it refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse

CLIENT_ID = "uppsikt-web"
CLIENT_SECRET = "fake-client-secret"


class FakeOidcProvider:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.issuer = ""  # set once the server's address is known
        self.person: dict[str, Any] = {}
        self.tamper: dict[str, Any] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.token_requests: list[dict[str, str]] = []
        self.app = self._build()

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": "fake-1", "alg": "RS256", "use": "sig"}]}

    def _id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": grant["client_id"],
            "iat": now,
            "exp": now + 300,
            "sub": "fake-sub-1",
            "nonce": grant["nonce"],
            **self.person,
            **self.tamper,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "fake-1"})

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "code_challenge_methods_supported": ["S256"],
            }

        @app.get("/jwks")
        def keys() -> dict[str, Any]:
            return self.jwks()

        @app.get("/authorize")
        def authorize(request: Request) -> RedirectResponse:
            q = request.query_params
            assert q["response_type"] == "code" and q["code_challenge_method"] == "S256"
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "client_id": q["client_id"],
                "redirect_uri": q["redirect_uri"],
                "challenge": q["code_challenge"],
                "nonce": q["nonce"],
            }
            return RedirectResponse(f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}")

        @app.post("/token")
        def token(
            request: Request,
            grant_type: str = Form(),
            code: str = Form(),
            redirect_uri: str = Form(),
            code_verifier: str = Form(""),
        ) -> JSONResponse:
            self.token_requests.append({"code": code, "code_verifier": code_verifier})
            basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("authorization") != f"Basic {basic}":
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            grant = self.codes.pop(code, None)  # a code works once
            if grant_type != "authorization_code" or grant is None or grant["redirect_uri"] != redirect_uri:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            digest = hashlib.sha256(code_verifier.encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"}, status_code=400)
            return JSONResponse({"id_token": self._id_token(grant), "token_type": "Bearer"})

        return app
