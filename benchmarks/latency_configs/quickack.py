# Hypothesis test for benchmarks/interaction_latency.py --server-config: the server's TCP sockets
# (the browser's websocket) ACK at once (TCP_QUICKACK before every read) and never wait for
# Nagle (TCP_NODELAY). If the ~45 ms floor were a delayed ACK on that leg, it would vanish.
import contextlib
import socket

from tornado import iostream

_read = iostream.IOStream.read_from_fd


def _read_quickack(self, buf):  # type: ignore[no-untyped-def]
    with contextlib.suppress(OSError):
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return _read(self, buf)


iostream.IOStream.read_from_fd = _read_quickack  # type: ignore[method-assign]
