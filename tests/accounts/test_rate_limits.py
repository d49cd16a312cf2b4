"""Rate limits on code checks, sign-in and the PIN; shared across gunicorn workers."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from survivorapp.config import new_vapid_key
from tests.accounts.conftest import post_json
from tests.helpers import free_port, sign_in

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/1"


def test_code_checks_are_rate_limited(client):
    statuses = [client.get("/enrol?code=ABCD-EFGH-JKMN").status_code for _ in range(21)]
    assert statuses[:20] == [422] * 20
    assert statuses[20] == 429
    assert "Too many tries" in client.get("/enrol?code=x").get_data(as_text=True)


def test_sign_in_endpoints_are_rate_limited(client):
    token = client.csrf_token()
    statuses = [
        client.post("/sign-in/options", json={}, headers={"X-CSRFToken": token}).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    verify = [post_json(client, "/sign-in/verify", {}).status_code for _ in range(31)]
    assert verify[-1] == 429


def test_pin_is_rate_limited(app, enrolled):
    client, user, _ = enrolled()
    client.post_form("/account/pin", {"pin": "2468", "confirm": "2468"}, page="/account/pin")
    fresh = app.test_client()
    sign_in(fresh, user)
    token = fresh.csrf_token("/pin")
    # Every PIN post counts, right or wrong (wrong ones also lock after 5; see test_lock_and_pin).
    statuses = [fresh.post("/pin", data={"pin": "0000", "csrf_token": token}).status_code]
    statuses += [
        fresh.post("/pin", data={"pin": "2468", "csrf_token": token}).status_code for _ in range(10)
    ]
    assert statuses[:2] == [422, 303]
    assert statuses[-1] == 429


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_limit_is_shared_by_gunicorn_workers(tmp_path):
    if not _redis_up():
        if os.environ.get("SURVIVORAPP_RATELIMIT_STORAGE_URI", "").startswith("redis"):
            pytest.fail("Redis is configured (as .ci/run does) but not reachable")
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    import redis

    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter("LIMITS*"):
        store.delete(key)
    port = free_port()
    env = {
        **os.environ,
        "SURVIVORAPP_SECRET_KEY": "gunicorn-test-secret",
        "SURVIVORAPP_ORIGIN": f"http://localhost:{port}",
        "SURVIVORAPP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "SURVIVORAPP_VAPID_PRIVATE_KEY": new_vapid_key(),
        "SURVIVORAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.db'}",
        "SURVIVORAPP_RATELIMIT_STORAGE_URI": REDIS_URL,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "FLASK_DEBUG": "0",
    }
    bindir = Path(sys.executable).parent
    subprocess.run(
        [str(bindir / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    gunicorn = shutil.which("gunicorn", path=str(bindir)) or str(bindir / "gunicorn")
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        # Each answer logged with the worker's pid, to show both workers answered.
        [
            *(gunicorn, "-c", "gunicorn.conf.py", "--preload", "--access-logfile", "-"),
            *("--access-logformat", "worker=%(p)s status=%(s)s", "wsgi:app"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if _port_open(port) and _get(f"{base}/sign-in") == 200:
                break
            time.sleep(0.2)
        else:
            pytest.fail(
                "gunicorn did not start in 30 s: " + (tmp_path / "gunicorn.log").read_text()
            )
        url = f"{base}/enrol?code=ABCD-EFGH-JKMN"
        # Many requests at once, so both workers answer some of them.
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: _get(url), range(60)))
        # One limit of 20 a minute for the whole service, not 20 per worker.
        assert statuses.count(422) == 20, statuses
        assert statuses.count(429) == 40
        assert any(True for _ in store.scan_iter("LIMITS*"))
        answered: list[str] = []
        for _ in range(50):  # a worker logs each answer just after sending it
            text = (tmp_path / "gunicorn.log").read_text()
            answered = re.findall(r"worker=<(\d+)> status=(?:422|429)", text)
            if len(answered) == 60:
                break
            time.sleep(0.1)
        assert len(answered) == 60 and len(set(answered)) == 2, "both workers must answer"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()
        for key in store.scan_iter("LIMITS*"):
            store.delete(key)
        store.close()


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False
