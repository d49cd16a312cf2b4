"""`flask --app wsgi reminders run`: send what is due (cron or a systemd timer runs it each
minute in production; `make run` runs it with --every 60)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from .deliver import run

group = AppGroup("reminders", help="Web Push reminders.")


@group.command("run")
@click.option("--every", type=int, default=0, help="Keep running, once every N seconds.")
def run_command(every: int) -> None:
    """Send the reminders that are due, once each."""
    while True:
        report = run()
        if every <= 0 or report.sent or report.retrying or report.failed or report.dropped:
            click.echo(str(report))  # counts only; the loop stays quiet when nothing was due
        if every <= 0:
            return
        time.sleep(every)
