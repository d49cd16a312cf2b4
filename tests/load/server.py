"""Gunicorn serving the app from a fresh, migrated database, with signed-in people ready."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import text

from survivorapp.config import new_vapid_key

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_urls(tmp_path: Path) -> list[tuple[str, str]]:
    urls = [("sqlite", f"sqlite:///{tmp_path / 'load.db'}")]
    pg = os.environ.get("TEST_DATABASE_URL")
    if pg:
        urls.append(
            ("postgresql", pg + ("&" if "?" in pg else "?") + "options=-csearch_path%3Dload")
        )
    return urls


class Served:
    def __init__(self, url: str, port: int, env: dict, proc: subprocess.Popen, cookies: list):
        self.db_url, self.port, self.env, self.proc, self.cookies = url, port, env, proc, cookies

    def connection(self, timeout: float = 60) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def app(self):
        from survivorapp import create_app

        config = {
            k.removeprefix("SURVIVORAPP_"): v
            for k, v in self.env.items()
            if k.startswith("SURVIVORAPP_")
        }
        return create_app(config, instance_path=str(ROOT / "instance-load-tests"))


def _env(db_url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURVIVORAPP_")}
    env.update(
        {
            "SURVIVORAPP_DATABASE_URL": db_url,
            "SURVIVORAPP_SECRET_KEY": secrets.token_urlsafe(32),
            "SURVIVORAPP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "SURVIVORAPP_VAPID_PRIVATE_KEY": new_vapid_key(),
            "SURVIVORAPP_ORIGIN": f"http://localhost:{port}",
            "SURVIVORAPP_RATELIMIT_STORAGE_URI": "memory://",
            "SURVIVORAPP_LOG_LEVEL": "ERROR",
            "FLASK_DEBUG": "0",
        }
    )
    return env


def _prepare(db_url: str, env: dict, people: int) -> list[str]:
    """Migrate a fresh database, then create people with real server-side sessions."""
    from flask_migrate import upgrade

    from survivorapp import create_app
    from survivorapp.accounts.services import create_user
    from survivorapp.extensions import db
    from survivorapp.security.sessions import UserSession

    config = {
        k.removeprefix("SURVIVORAPP_"): v for k, v in env.items() if k.startswith("SURVIVORAPP_")
    }
    app = create_app(config, instance_path=str(ROOT / "instance-load-tests"))
    cookies = []
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS load CASCADE"))
                conn.execute(text("CREATE SCHEMA load"))
        upgrade()
        for i in range(people):
            user = create_user(f"load {i}", ["survivor"], timezone="Europe/London")
            token = secrets.token_urlsafe(32)
            db.session.add(
                UserSession(
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    user_id=user.id,
                    # As after a real sign-in, the session already holds its CSRF secret (made
                    # on the sign-in page, kept through rotation). Without it, the clients that
                    # share this session would each make one on their first page, at once, and
                    # the last to save would void the others' tokens: 400s from the test itself.
                    data=json.dumps(
                        {
                            "_user_id": str(user.id),
                            "_fresh": True,
                            "csrf_token": secrets.token_hex(20),
                        }
                    ),
                    device="load",
                )
            )
            cookies.append(f"sid={token}")
        db.session.commit()
        db.engine.dispose()
    return cookies


@contextmanager
def served(db_url: str, *, people: int, workers: int = 3):
    port = free_port()
    env = _env(db_url, port)
    cookies = _prepare(db_url, env, people)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--timeout",
            "60",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        # A file, never a pipe: nobody reads a pipe while clients run, and once the workers'
        # tracebacks (a PostgreSQL restart makes many) fill it, every worker blocks on write.
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(log.read().decode()[-3000:]) from None
                time.sleep(0.2)
        yield Served(db_url, port, env, proc, cookies)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()


def request(conn, method: str, path: str, cookie: str, body: dict | None = None):
    from urllib.parse import urlencode

    headers = {"Cookie": cookie}
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def csrf_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)
