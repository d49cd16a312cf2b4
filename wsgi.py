"""The WSGI entry point: gunicorn wsgi:app"""

from survivorapp import create_app, warm_up

app = create_app()
# Compile every template once here: with gunicorn's preload_app the workers inherit them, so
# no person waits for a cold worker.
warm_up(app)
