"""The test server itself: a browser that drops a connection must not leave a file open (the
garbage collector's warning would fail whichever test runs next)."""

import gc
import socket
import struct


def test_a_dropped_connection_leaves_no_file_open(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    for _ in range(20):
        with socket.create_connection(("127.0.0.1", port)) as conn:
            conn.sendall(b"GET /static/icons/notebook-512.png HTTP/1.1\r\nHost: localhost\r\n\r\n")
            conn.recv(16)
            # Close with a reset, as a browser does when a page goes away mid-download.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    live_server.wait_idle()
    gc.collect()
