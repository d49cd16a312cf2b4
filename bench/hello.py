"""The baseline: a bare Flask route served by the same gunicorn settings as the app."""

from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello():
    return "hello"
