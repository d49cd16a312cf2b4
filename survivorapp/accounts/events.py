"""What accounts tell other features, so that those need not reach into accounts' tables."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent inside the removing transaction, with the owner as sender and passkey_id=<Passkey.id>:
# whatever that passkey's sessions turned on (a calendar address) ends with it.
passkey_removed = _signals.signal("passkey-removed")

# Sent inside the locking transaction, with the person as sender and keep_passkey_id=<the
# passkey that stays, when a person locks a lost phone from the device in their hand>.
account_locked = _signals.signal("account-locked")

# Sent when quick exit is used, with the person as sender and passkey_id=<this session's
# passkey, or None>: whatever this device turned on that reaches it later ends now.
device_left = _signals.signal("device-left")
