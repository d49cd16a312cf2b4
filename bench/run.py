"""`make bench`: seed a large database, serve it with gunicorn, load it with wrk, print a table.

    python -m bench.run [--scale 1.0] [--duration 10] [--connections 32] [--db-url URL]

PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, else SQLite in bench/.data/.
Each page is measured at 1% and at 100% of the scale, beside a bare Flask "hello" route served
by the same gunicorn settings. Nothing here is a test: the numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from survivorapp.config import new_vapid_key

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
VENV_BIN = Path(sys.executable).parent
SECRET = "bench-secret-not-for-production"


@dataclass
class Result:
    page: str
    scale: float
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    requests: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(scale: float, explicit: str | None) -> str:
    base = explicit or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    tag = f"bench_{str(scale).replace('.', '_')}"
    if base and base.startswith("postgresql"):
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options=-csearch_path%3D{tag}"
    DATA.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA / (tag + '.db')}"


def app_env(db_url: str, port: int, key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURVIVORAPP_")}
    env.update(
        {
            "SURVIVORAPP_DATABASE_URL": db_url,
            "SURVIVORAPP_SECRET_KEY": SECRET,
            "SURVIVORAPP_ENCRYPTION_KEYS": key,
            "SURVIVORAPP_VAPID_PRIVATE_KEY": new_vapid_key(),
            "SURVIVORAPP_ORIGIN": f"http://localhost:{port}",
            "SURVIVORAPP_LOG_LEVEL": "WARNING",
            "FLASK_DEBUG": "0",
        }
    )
    return env


class Gunicorn:
    """Three sync workers, as in production (gunicorn.conf.py), access log off."""

    def __init__(self, target: str, env: dict[str, str], port: int):
        self.port = port
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--access-logfile",
                "/dev/null",
                "--max-requests",
                "0",
                target,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            # A file, not a pipe nobody reads while wrk runs: a full pipe blocks every worker.
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    self.log.seek(0)
                    raise RuntimeError(self.log.read().decode()[-2000:]) from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def wrk(port: int, targets: list[tuple[str, str]], duration: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as fh:
        for cookie, path in targets:
            fh.write(f"{cookie}\t{path}\n")
        name = fh.name
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                str(ROOT / "bench" / "wrk.lua"),
                f"http://localhost:{port}",
                "--",
                name,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 60,
        ).stdout
    finally:
        os.unlink(name)
    match = re.search(r"^RESULT (\{.*\})$", out, re.M)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    return json.loads(match.group(1))


def measure(name: str, scale: float, port: int, targets, duration: int, connections: int):
    wrk(port, targets, 3, connections)  # warm up: SQL compile caches, connection pools
    r = wrk(port, targets, duration, connections)
    return Result(
        name,
        scale,
        r["requests"] / (r["duration_us"] / 1e6),
        r["p50_us"] / 1000,
        r["p95_us"] / 1000,
        r["p99_us"] / 1000,
        r["status_errors"] + r["socket_errors"],
        r["requests"],
    )


def check_pages(port: int, pages: dict[str, list[tuple[str, str]]]) -> None:
    """Every target (each person's session and page) must answer 200 with the page itself,
    not a redirect to sign-in."""
    opener = urllib.request.build_opener(NoRedirect)
    for name, targets in pages.items():
        for cookie, path in targets:
            req = urllib.request.Request(
                f"http://localhost:{port}{path}", headers={"Cookie": cookie}
            )
            with opener.open(req, timeout=60) as response:
                if response.status != 200:
                    raise RuntimeError(f"{name}: {path} answered {response.status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def page_weight(port: int, pages: dict[str, list[tuple[str, str]]]) -> list[tuple]:
    """Bytes as sent on a first and a repeat visit, asking for gzip as a browser does: static
    files come compressed; pages never are (no BREACH on pages carrying tokens), so the HTML
    counts raw. Its gzip -6 size is shown beside it, for comparison only."""
    rows = []
    for name, targets in pages.items():
        cookie, path = targets[0]
        try:
            html = _sent(port, path, {"Cookie": cookie})
        except OSError as exc:  # a page too slow to weigh is reported, not fatal
            rows.append((name, 0, 0, 0, f"failed: {type(exc).__name__}"))
            continue
        assets = sorted(set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)))
        sizes = [len(html)] + [len(_sent(port, a.decode(), {})) for a in assets]
        rows.append((name, len(sizes), sum(sizes), len(html), len(gzip.compress(html, 6))))
    return rows


def _sent(port: int, path: str, headers: dict) -> bytes:
    """The body exactly as it came over the wire (urllib does not decompress)."""
    req = urllib.request.Request(
        f"http://localhost:{port}{path}", headers={**headers, "Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(req, timeout=180) as response:
        return response.read()


def run(args) -> int:
    if shutil.which("wrk") is None:
        print("wrk is missing: `make bench` installs it (apt-get install wrk).", file=sys.stderr)
        return 2
    from bench import seed

    key = Fernet.generate_key().decode()
    scales = sorted({round(args.scale * 0.01, 6), args.scale})
    results: list[Result] = []
    weights = []
    started = time.monotonic()
    for scale in scales:
        db_url = database_url(scale, args.db_url)
        port = free_port()
        env = app_env(db_url, port, key)
        print(f"\n== scale {scale:g}: seeding {db_url.split('?')[0]}", flush=True)
        pages = seed.prepare(db_url, scale, env)
        server = Gunicorn("wsgi:app", env, port)
        try:
            check_pages(port, pages)  # every page answers 200 before it is measured
            for name, targets in pages.items():
                results.append(measure(name, scale, port, targets, args.duration, args.connections))
                r = results[-1]
                print(f"   {name:<18} {r.rps:8.1f} req/s  p95 {r.p95:7.1f} ms", flush=True)
            if scale == args.scale:
                weights = page_weight(port, pages)
        finally:
            server.stop()
    port = free_port()
    hello = Gunicorn("bench.hello:app", app_env("sqlite://", port, key), port)
    try:
        base = measure(
            "hello (baseline)", 0, port, [("x=1", "/hello")], args.duration, args.connections
        )
    finally:
        hello.stop()
    report(args, results, base, weights, scales, time.monotonic() - started)
    return 0


def report(args, results, base, weights, scales, elapsed) -> None:
    small, full = scales[0], scales[-1]
    by = {(r.page, r.scale): r for r in results}
    print("\n## Results\n")
    print(
        f"Command: `make bench` (scale {args.scale:g}, {args.connections} connections, "
        f"{args.duration} s per page, gunicorn 3 sync workers, wrk 2 threads on loopback)  "
    )
    print(
        f"Machine: {platform.node()} · {os.cpu_count()} cores · Python "
        f"{platform.python_version()} · {platform.platform()}  "
    )
    print(f"Run time: {elapsed / 60:.1f} min\n")
    print(
        "| page | scale | req/s | p50 ms | p95 ms | p99 ms | errors | × hello | p95 full ÷ p95 1% |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| hello (baseline) | – | {base.rps:.0f} | {base.p50:.1f} | {base.p95:.1f} | "
        f"{base.p99:.1f} | {base.errors} | 1.00 | – |"
    )
    for r in results:
        ratio = "–"
        if r.scale == full and (r.page, small) in by and small != full:
            ratio = f"{r.p95 / max(by[(r.page, small)].p95, 0.001):.2f}"
        print(
            f"| {r.page} | {r.scale:g} | {r.rps:.0f} | {r.p50:.1f} | {r.p95:.1f} | "
            f"{r.p99:.1f} | {r.errors} | {r.rps / base.rps:.2f} | {ratio} |"
        )
    print(f"\n## Page weight (bytes as sent, scale {args.scale:g})\n")
    print(
        "| page | first visit requests | first visit bytes | repeat visit bytes (HTML) "
        "| HTML if gzipped |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, count, total, html, html_gz in weights:
        if isinstance(html_gz, str):
            print(f"| {name} | – | – | – | {html_gz} |")
            continue
        print(f"| {name} | {count} | {total:,} | {html:,} | {html_gz:,} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("SCALE", 1.0)))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--db-url", default=None)
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
