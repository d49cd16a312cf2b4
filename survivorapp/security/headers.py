"""Response headers every answer carries: CSP, no caching of pages, no referrer, and so on."""

from __future__ import annotations

from flask import current_app, request
from flask.wrappers import Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
IMMUTABLE = "public, max-age=31536000, immutable"


def apply(response: Response) -> Response:
    h = response.headers
    h["Content-Security-Policy"] = CSP
    h["Referrer-Policy"] = "no-referrer"
    h["X-Content-Type-Options"] = "nosniff"
    h["X-Frame-Options"] = "DENY"
    h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    h["Cross-Origin-Resource-Policy"] = "same-origin"
    if current_app.config["HTTPS"]:
        h["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if request.endpoint == "static":
        # Fingerprinted URLs (?v=<hash>) never change; anything else is revalidated.
        h["Cache-Control"] = IMMUTABLE if request.args.get("v") else "no-cache"
    else:
        # Pages may hold personal data: never stored by the browser or any cache.
        h["Cache-Control"] = "no-store"
        h["Pragma"] = "no-cache"
        response.vary.update(("HX-Request", "Cookie"))
    return response
