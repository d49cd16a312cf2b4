"""Command-line tasks: flask --app wsgi <command>."""

from __future__ import annotations

import os
from pathlib import Path

import click
from cryptography.fernet import Fernet
from flask import Flask, current_app, url_for
from sqlalchemy import select

from . import demo as demo_module
from .accounts import codes
from .accounts.access import demo_links_allowed
from .accounts.forms import PSEUDONYM_MAX
from .accounts.models import Role, User
from .extensions import db
from .people import caseload, team
from .reminders import cli as reminders_cli
from .security import key_rotation, once
from .security.crypto import split_keys
from .security.sessions import purge_expired
from .settings import org_setting


def find_user(key: str) -> User:
    """A person by public id, or by pseudonym (decrypted one by one: pseudonyms are encrypted)."""
    user = db.session.scalar(select(User).where(User.public_id == key))
    if user is None:
        matches = [u for u in db.session.scalars(select(User)) if u.pseudonym == key]
        if len(matches) > 1:
            raise click.ClickException(f"several people are called {key!r}; use a public id")
        user = matches[0] if matches else None
    if user is None:
        raise click.ClickException(f"nobody found for {key!r}")
    return user


SHOWN_LINKS = 20  # a second run lists the first accounts; enough for a local try-out


def _echo_sign_in_links(origin: str, users) -> None:
    """The demo sign-in shortcut for each person, where that shortcut exists at all (debug mode
    on localhost: see accounts/dev.py)."""
    if not demo_links_allowed(current_app):
        return
    click.echo(f"Demo sign-in links for {origin}/ (debug mode on localhost only):")
    with current_app.test_request_context(base_url=origin):
        for user in users:
            roles = ", ".join(sorted(r.value for r in user.roles))
            link = url_for("dev.sign_in_as", public_id=user.public_id, _external=True)
            click.echo(f"  {user.pseudonym:<16} {roles:<18} {link}")


def _instance_key_file() -> Path | None:
    """instance/encryption_keys when the keys in use come from it (the embedded default, no
    SURVIVORAPP_ENCRYPTION_KEYS); None when they come from the environment or the caller."""
    if os.environ.get("SURVIVORAPP_ENCRYPTION_KEYS"):
        return None
    path = Path(current_app.instance_path) / "encryption_keys"
    in_use = str(current_app.config["ENCRYPTION_KEYS"]).strip()
    if not path.exists() or path.read_text().strip() != in_use:
        return None
    return path


def register(app: Flask) -> None:
    app.cli.add_command(reminders_cli.group)

    @app.cli.command("demo")
    @click.option("--force", is_flag=True, help="Add demo people even if the database has some.")
    def demo(force: bool) -> None:
        """Load demo data into an empty database and print sign-in links."""
        origin = current_app.config["ORIGIN"]
        if not demo_module.database_is_empty() and not force:
            click.echo("The database already has people in it; demo data not loaded.")
            # A second `make run` still needs a way in: the same shortcut links, again.
            active = select(User).where(User.disabled_at.is_(None)).order_by(User.id)
            _echo_sign_in_links(origin, db.session.scalars(active.limit(SHOWN_LINKS)))
            return
        people = demo_module.seed()
        click.echo(f"\nDemo organisation ready at {origin}/")
        _echo_sign_in_links(origin, people.everyone())
        for line in people.extra.get("links", []):
            click.echo(line)

    @app.cli.command("invite")
    @click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
    @click.option("--name", "pseudonym", required=True, help="The pseudonym the person chose.")
    def invite(role: str, pseudonym: str) -> None:
        """Create an account and print its one-time enrolment link (the first accounts)."""
        pseudonym = " ".join(pseudonym.split())
        if not pseudonym or len(pseudonym) > PSEUDONYM_MAX:
            raise click.ClickException(f"the name must be 1 to {PSEUDONYM_MAX} characters")
        user, code = team.invite(None, pseudonym, role)
        db.session.commit()  # a command runs outside a request: nothing else commits it
        hours = org_setting("ENROLMENT_CODE_HOURS")
        click.echo(f"Account {user.public_id} created ({role}).")
        click.echo(f"Enrolment link (works once, for {hours} hours): {codes.enrol_link(code)}")
        click.echo(f"Code to type instead: {code}")

    @app.cli.command("assign")
    @click.argument("staff")
    @click.argument("survivor")
    def assign(staff: str, survivor: str) -> None:
        """Make STAFF the case worker of SURVIVOR (public id or pseudonym)."""
        staff_user, survivor_user = find_user(staff), find_user(survivor)
        try:
            caseload.assign(staff_user, survivor_user)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        db.session.commit()
        click.echo(f"{survivor_user.public_id} is now on {staff_user.public_id}'s caseload.")

    @app.cli.group("keys")
    def keys() -> None:
        """Encryption keys for data at rest."""

    @keys.command("new")
    def keys_new() -> None:
        """Print a fresh key to put first in SURVIVORAPP_ENCRYPTION_KEYS (then `keys rotate`)."""
        click.echo(Fernet.generate_key().decode())

    @keys.command("generate", hidden=True)
    def keys_generate() -> None:
        """The former name of `keys new`."""
        click.echo(Fernet.generate_key().decode())

    @keys.command("rotate")
    def keys_rotate() -> None:
        """Re-encrypt everything under a new first key.

        Keys in instance/encryption_keys (the embedded default): a new key is generated and put
        first; the old ones stay, so nothing is lost if the command is interrupted. Keys in
        SURVIVORAPP_ENCRYPTION_KEYS (production): the variable must already list the new key
        first and the old ones after it (see `keys new` and the README); this command cannot
        change the environment, so with a single key it refuses."""
        key_file = _instance_key_file()
        if key_file is None and len(split_keys(current_app.config["ENCRYPTION_KEYS"])) < 2:
            raise click.ClickException(
                "SURVIVORAPP_ENCRYPTION_KEYS lists one key, so there is nothing to rotate to: "
                "put the key `flask --app wsgi keys new` prints first in it (new,old), restart "
                "the app with that list, then run `keys rotate` again. Nothing was changed."
            )
        census = key_rotation.key_census()
        if census["unreadable"]:
            where = "instance/encryption_keys" if key_file else "SURVIVORAPP_ENCRYPTION_KEYS"
            raise click.ClickException(
                f"{census['unreadable']} values cannot be read with any key in {where}: "
                "add back the key they were encrypted with. Nothing was changed."
            )
        if key_file is not None:
            keys_now = current_app.config["ENCRYPTION_KEYS"].strip()
            new = Fernet.generate_key().decode() + "," + keys_now
            key_file.write_text(new + "\n")
            current_app.config["ENCRYPTION_KEYS"] = new
            click.echo("A new key was added to instance/encryption_keys.")
        count = key_rotation.reencrypt_all()
        moved = count if key_file is not None else census["older"]  # the file's key is new
        click.echo(
            f"{count} values re-encrypted under the first key "
            f"({moved} of them were under an older key)."
        )
        if key_file is None:
            if census["older"] == 0 and count:
                click.echo(
                    "None was under an older key: if you meant to add a new key, it must come "
                    "first in SURVIVORAPP_ENCRYPTION_KEYS."
                )
            click.echo(
                "Once every server runs with this list, the keys after the first can be removed "
                "from SURVIVORAPP_ENCRYPTION_KEYS (keep them with backups made before now)."
            )

    @app.cli.command("purge-sessions")
    def purge_sessions() -> None:
        """Delete sessions past their idle or absolute limit, and the double-submission
        tokens old enough that no retry can still carry them."""
        click.echo(f"{purge_expired()} expired sessions removed.")
        click.echo(f"{once.purge_old()} old form tokens removed.")
        db.session.commit()
