"""The README documents every setting, and its `make run` serves where it says."""

import re
import socket
from pathlib import Path

from werkzeug.serving import get_sockaddr, select_address_family

from survivorapp.config import SETTINGS


def test_readme_lists_every_setting():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    missing = [n for n in SETTINGS if f"`SURVIVORAPP_{n}`" not in readme]
    assert missing == []


def test_make_run_binds_loopback_and_prints_localhost():
    """`make run` passes --host localhost: werkzeug prints that name in its "Running on" line
    and binds it as IPv4, which is 127.0.0.1 alone (no other interface)."""
    makefile = (Path(__file__).parents[1] / "Makefile").read_text()
    host = re.search(r"\$\(FLASK\) run --host (\S+)", makefile).group(1)
    assert host == "localhost"
    family = select_address_family(host, 5000)
    assert family == socket.AF_INET
    assert get_sockaddr(host, 5000, family) == ("127.0.0.1", 5000)
