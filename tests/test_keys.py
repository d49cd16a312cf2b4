"""Encryption at rest: key rotation re-encrypts everything and keeps it readable.

Ciphertexts are checked by decrypting them with one key at a time, never by looking for text in
them (a substring test is flaky: base64 spells a three-letter name by chance)."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select, text

from survivorapp.accounts.models import User
from survivorapp.database import EncryptedText
from survivorapp.extensions import db
from tests.factories import make_user

ENV = "SURVIVORAPP_ENCRYPTION_KEYS"


def raw_pseudonyms() -> list[bytes]:
    db.session.expire_all()
    rows = db.session.execute(text('SELECT pseudonym FROM "user" ORDER BY id')).scalars()
    return [bytes(v) for v in rows]


def readable_only_with(key: str, *others: str) -> None:
    """Every stored pseudonym decrypts with `key` alone, and with none of `others`."""
    tokens = raw_pseudonyms()
    assert tokens
    for token in tokens:
        Fernet(key.encode()).decrypt(token)
        for other in others:
            with pytest.raises(InvalidToken):
                Fernet(other.encode()).decrypt(token)


def pseudonyms() -> list[str]:
    db.session.expire_all()
    return sorted(u.pseudonym for u in db.session.scalars(select(User)))


@pytest.fixture
def keys_in_env(app, monkeypatch):
    """set(keys): as if the app restarted with SURVIVORAPP_ENCRYPTION_KEYS=keys."""
    original = app.config["ENCRYPTION_KEYS"]

    def set_keys(keys: str) -> None:
        monkeypatch.setenv(ENV, keys)
        app.config["ENCRYPTION_KEYS"] = keys

    yield set_keys
    app.config["ENCRYPTION_KEYS"] = original


def test_rotate_reencrypts_under_the_new_first_key(app, runner, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    make_user("survivor", pseudonym="Mai")
    make_user("staff", pseudonym="Sam")
    old_key = app.config["ENCRYPTION_KEYS"]
    new_key = Fernet.generate_key().decode()
    app.config["ENCRYPTION_KEYS"] = f"{new_key},{old_key}"
    try:
        result = runner.invoke(args=["keys", "rotate"])
        assert result.exit_code == 0, result.output
        assert "2 values re-encrypted under the first key (2 of them" in result.output
        readable_only_with(new_key, old_key)
        assert pseudonyms() == ["Mai", "Sam"]
    finally:
        app.config["ENCRYPTION_KEYS"] = old_key


def test_keys_new_prints_a_fresh_key(runner):
    first = runner.invoke(args=["keys", "new"])
    second = runner.invoke(args=["keys", "new"])
    assert first.exit_code == 0 and second.exit_code == 0
    key = first.output.strip()
    Fernet(key.encode())  # a valid Fernet key
    assert first.output.count("\n") == 1 and key != second.output.strip()


def test_rotate_in_production_needs_the_new_key_first_in_the_environment(app, runner, keys_in_env):
    make_user("survivor", pseudonym="Mai")
    make_user("staff", pseudonym="Sam")
    old_key = app.config["ENCRYPTION_KEYS"]
    keys_in_env(old_key)
    before = raw_pseudonyms()

    # One key in the environment: the command cannot add one there, so it refuses and says why.
    refused = runner.invoke(args=["keys", "rotate"])
    assert refused.exit_code != 0
    assert len(refused.output.strip().splitlines()) == 1
    assert "SURVIVORAPP_ENCRYPTION_KEYS lists one key" in refused.output
    assert "keys new" in refused.output and "Nothing was changed." in refused.output
    assert raw_pseudonyms() == before
    readable_only_with(old_key)
    assert not (Path(app.instance_path) / "encryption_keys").exists()

    # The documented procedure: a new key, first in the variable, the app restarted, rotate.
    new_key = runner.invoke(args=["keys", "new"]).output.strip()
    keys_in_env(f"{new_key},{old_key}")
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "2 values re-encrypted under the first key (2 of them were under an older key)." in (
        result.output
    )
    assert "None was under an older key" not in result.output
    readable_only_with(new_key, old_key)

    # The old key can go: everything reads with the new one alone.
    keys_in_env(new_key)
    assert pseudonyms() == ["Mai", "Sam"]


def test_rotate_refuses_when_a_listed_key_is_missing(app, runner, keys_in_env):
    make_user("survivor", pseudonym="Mai")
    old_key = app.config["ENCRYPTION_KEYS"]
    new_key, wrong = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keys_in_env(f"{new_key},{wrong}")  # the old key left out by mistake
    before = raw_pseudonyms()
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code != 0
    assert "1 values cannot be read with any key in SURVIVORAPP_ENCRYPTION_KEYS" in result.output
    assert raw_pseudonyms() == before
    readable_only_with(old_key, new_key, wrong)


def test_rotate_warns_when_the_new_key_is_not_first(app, runner, keys_in_env):
    make_user("survivor", pseudonym="Mai")
    old_key = app.config["ENCRYPTION_KEYS"]
    new_key = Fernet.generate_key().decode()
    keys_in_env(f"{old_key},{new_key}")  # added at the end: it would never be used
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "(0 of them were under an older key)" in result.output
    assert "it must come first in SURVIVORAPP_ENCRYPTION_KEYS" in result.output
    readable_only_with(old_key, new_key)


def test_rotate_adds_a_key_to_the_instance_file(make_app, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    app = make_app()
    with app.app_context():
        make_user("survivor", pseudonym="Olena")
        old_key = app.config["ENCRYPTION_KEYS"]
        key_file = Path(app.instance_path) / "encryption_keys"
        key_file.write_text(old_key + "\n")
        result = app.test_cli_runner().invoke(args=["keys", "rotate"])
        assert result.exit_code == 0, result.output
        assert "A new key was added to instance/encryption_keys." in result.output
        assert "1 values re-encrypted under the first key (1 of them" in result.output
        keys = key_file.read_text().strip().split(",")
        assert (
            len(keys) == 2
            and keys[1] == old_key
            and app.config["ENCRYPTION_KEYS"] == ",".join(keys)
        )
        readable_only_with(keys[0], old_key)
        assert pseudonyms() == ["Olena"]

        # With SURVIVORAPP_ENCRYPTION_KEYS set, the environment is what counts: the file stays.
        monkeypatch.setenv(ENV, old_key)
        app.config["ENCRYPTION_KEYS"] = old_key
        key_file.write_text(old_key + "\n")
        refused = app.test_cli_runner().invoke(args=["keys", "rotate"])
        assert refused.exit_code != 0 and "lists one key" in refused.output
        assert key_file.read_text().strip() == old_key


def test_rotation_never_overwrites_an_edit_made_while_it_runs(app, monkeypatch):
    """The app keeps running during a rotation: a pseudonym changed after the rotation read it
    keeps its new value (it is already under the first key)."""
    from survivorapp.security import key_rotation as crypto

    mai = make_user("survivor", pseudonym="Mai")
    make_user("staff", pseudonym="Sam")
    old_key = app.config["ENCRYPTION_KEYS"]
    new_key = Fernet.generate_key().decode()
    app.config["ENCRYPTION_KEYS"] = f"{new_key},{old_key}"
    read_first = crypto._stored_values

    def edited_in_between():
        for table, pk, column, rows in read_first():
            if table.name == "user" and column.key == "pseudonym":
                mai.pseudonym = "Mai Linh"  # saved by a request while the rotation runs
                db.session.commit()
            yield table, pk, column, rows

    monkeypatch.setattr(crypto, "_stored_values", edited_in_between)
    try:
        assert crypto.reencrypt_all() == 1  # Sam's; Mai's new value was already current
        readable_only_with(new_key, old_key)
        assert pseudonyms() == ["Mai Linh", "Sam"]
    finally:
        app.config["ENCRYPTION_KEYS"] = old_key


# --- every encrypted column of every table ----------------------------------------------------


def encrypted_columns() -> list:
    """Every column of every table stored as EncryptedText, found in db.metadata (not through
    crypto.encrypted_columns, the list the rotation itself walks): a new one is covered here
    without a change to this test."""
    return [
        column
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    ]


def raw_encrypted_values() -> dict[tuple[str, str], dict[tuple, bytes]]:
    """{(table, column): {primary key: stored bytes}} for every non-null encrypted value,
    read with plain SQL (no type decoding: the ciphertext as the database holds it)."""
    db.session.expire_all()
    quote = db.engine.dialect.identifier_preparer.quote
    found = {}
    for column in encrypted_columns():
        pk = [c.name for c in column.table.primary_key.columns]
        names = ", ".join(quote(n) for n in [*pk, column.name])
        table, name = quote(column.table.name), quote(column.name)
        sql = f"SELECT {names} FROM {table} WHERE {name} IS NOT NULL"
        rows = db.session.execute(text(sql)).all()
        found[column.table.name, column.name] = {tuple(r[:-1]): bytes(r[-1]) for r in rows}
    return found


def values_as_the_app_reads_them() -> dict[tuple[str, str], dict[tuple, str]]:
    db.session.expire_all()
    found = {}
    for column in encrypted_columns():
        pk = list(column.table.primary_key.columns)
        rows = db.session.execute(select(*pk, column).where(column.isnot(None))).all()
        found[column.table.name, column.name] = {tuple(r[:-1]): r[-1] for r in rows}
    return found


def seed_every_encrypted_column() -> None:
    """Every feature's sample data (tests/privacy/samples.py, shared with the at-rest, export
    and deletion tests); between them the builders fill every encrypted column. A new column
    that none fills makes the test below fail and name it: seed it here then."""
    from tests.privacy.samples import build_samples

    person = make_user("survivor", pseudonym="Rotation Person")
    build_samples(person)


def test_rotate_reencrypts_every_encrypted_column_of_every_table(app, runner, keys_in_env):
    columns = encrypted_columns()
    assert len(columns) >= 10, [f"{c.table.name}.{c.name}" for c in columns]
    old_key = app.config["ENCRYPTION_KEYS"]
    seed_every_encrypted_column()
    before_raw = raw_encrypted_values()
    empty = sorted(f"{t}.{c}" for (t, c), values in before_raw.items() if not values)
    assert not empty, f"no sample data in {empty}: seed them (see seed_every_encrypted_column)"
    plaintext = values_as_the_app_reads_them()
    total = sum(len(values) for values in before_raw.values())

    new_key = Fernet.generate_key().decode()
    keys_in_env(f"{new_key},{old_key}")
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output

    new, old = Fernet(new_key.encode()), Fernet(old_key.encode())
    after_raw = raw_encrypted_values()
    assert {k: set(v) for k, v in after_raw.items()} == {k: set(v) for k, v in before_raw.items()}
    not_rotated = []
    for (table, column), values in after_raw.items():
        for pk, token in values.items():
            try:
                clear = new.decrypt(token).decode()
            except InvalidToken:
                not_rotated.append(f"{table}.{column} {pk}")
                continue
            assert clear == plaintext[table, column][pk], (table, column, pk)
            with pytest.raises(InvalidToken):
                old.decrypt(token)
    assert not not_rotated, f"still under the old key: {not_rotated}"
    assert f"{total} values re-encrypted under the first key ({total} of them" in result.output

    # The old key can go: the app reads every value with the new key alone.
    keys_in_env(new_key)
    assert values_as_the_app_reads_them() == plaintext
