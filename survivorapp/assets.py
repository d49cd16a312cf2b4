"""Static files: content-hashed URLs (cached for a year) and gzip for text assets.

Only static files are compressed: compressing pages that hold a CSRF token next to text a
person typed would open the door to BREACH-style attacks, and pages are small anyway.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from flask import Flask, request, url_for
from flask.wrappers import Response

COMPRESSIBLE = (
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
    "application/json",
    "application/manifest+json",
)


def init_app(app: Flask) -> None:
    static = Path(app.static_folder)
    fingerprints: dict[str, str] = {}
    compressed: dict[tuple[str, str], bytes] = {}

    def asset(filename: str) -> str:
        """A static URL with a content hash, so it can be cached for a year."""
        if filename not in fingerprints or app.debug:
            digest = hashlib.sha256((static / filename).read_bytes()).hexdigest()[:12]
            fingerprints[filename] = digest
        return url_for("static", filename=filename, v=fingerprints[filename])

    @app.after_request
    def gzip_static(response: Response) -> Response:
        if (
            request.endpoint != "static"
            or response.status_code != 200
            or "gzip" not in request.headers.get("Accept-Encoding", "")
            or response.mimetype not in COMPRESSIBLE
        ):
            return response
        filename = request.view_args.get("filename", "")
        key = (filename, request.args.get("v", ""))
        original = response.response
        response.direct_passthrough = False
        if key not in compressed or app.debug:
            compressed[key] = gzip.compress(response.get_data(), 9, mtime=0)
        if hasattr(original, "close"):
            original.close()  # the file Flask opened to send
        body = compressed[key]
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(body))
        response.vary.add("Accept-Encoding")
        return response

    app.jinja_env.globals["asset"] = asset
