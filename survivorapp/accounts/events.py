"""What accounts tell other features, so that those need not reach into accounts' tables."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent inside the removing transaction, with the owner as sender and passkey_id=<Passkey.id>:
# whatever that passkey's sessions turned on (a calendar address) ends with it.
passkey_removed = _signals.signal("passkey-removed")
