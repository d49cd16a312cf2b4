"""Production gunicorn settings: `gunicorn wsgi:app` picks this file up from the working folder."""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# Load the app (and its compiled templates, see wsgi.py) once, before forking the workers.
preload_app = True
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log without client addresses, query strings (codes and tokens travel there) or agents.
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"


def pre_fork(server, worker):
    """Move everything the preloaded app made (modules, templates, translations) out of the
    garbage collector's sight: full collections in the workers then walk only what requests
    make (in-process, a staff caseload list took 23 ms with the default collector, 13 ms with
    the heap frozen; docs/performance.md), and the shared memory pages are not copied into each
    worker when a collection touches them."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """Forked workers must not share the master's database connections."""
    from survivorapp.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
