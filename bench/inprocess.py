"""Per-request cost without network or load: each benchmark page through Flask's test client.

    python -m bench.inprocess [--scale 0.01] [--profile PAGE] [--requests 100]

Seeds the benchmark organisation (as `make bench` does, PostgreSQL when BENCH_DATABASE_URL or
TEST_DATABASE_URL is set) in its own schema or file, then prints milliseconds and queries per
request for every page; with --profile, the functions that took the time on one page. What the
load test cannot show: where one request's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import event

from bench import seed
from bench.run import app_env, database_url


def serve(scale: float, db_url: str | None):
    url = database_url(scale, db_url).replace("bench_", "inprocess_")
    env = app_env(url, 5999, Fernet.generate_key().decode())
    pages = seed.prepare(url, scale, env)
    from survivorapp import create_app

    config = {
        k.removeprefix("SURVIVORAPP_"): v for k, v in env.items() if k.startswith("SURVIVORAPP_")
    }
    app = create_app(config, instance_path=str(Path(__file__).parent / ".data" / "instance"))
    return app, pages


def measure(app, targets, requests: int) -> tuple[float, float]:
    from survivorapp.extensions import db

    client = app.test_client(use_cookies=False)
    queries = [0]

    def count(*_args):
        queries[0] += 1

    def get(i: int) -> None:
        cookie, path = targets[i % len(targets)]
        response = client.get(path, headers={"Cookie": cookie}, base_url="http://localhost:5999")
        assert response.status_code == 200, (path, response.status_code)

    for i in range(10):  # warm: templates, prepared statements, the session touch
        get(i)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    started = time.perf_counter()
    for i in range(requests):
        get(i)
    elapsed = time.perf_counter() - started
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", count)
    return elapsed / requests * 1000, queries[0] / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--profile", help="a page name, e.g. 'survivor home'")
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args()
    app, pages = serve(args.scale, args.db_url)
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        measure(app, pages[args.profile], args.requests)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        return
    print(f"\n{'page':<16} {'ms/request':>10} {'queries':>8}")
    for name, targets in pages.items():
        ms, queries = measure(app, targets, args.requests)
        print(f"{name:<16} {ms:>10.1f} {queries:>8.1f}")


if __name__ == "__main__":
    main()
