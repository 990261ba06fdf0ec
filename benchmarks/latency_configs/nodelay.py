# Control for benchmarks/interaction_latency.py --server-config: only TCP_NODELAY on the server's
# TCP sockets (the browser's websocket), no TCP_QUICKACK. Compare with quickack.py.
import contextlib
import socket

from tornado import iostream

_read = iostream.IOStream.read_from_fd


def _read_nodelay(self, buf):  # type: ignore[no-untyped-def]
    with contextlib.suppress(OSError):
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return _read(self, buf)


iostream.IOStream.read_from_fd = _read_nodelay  # type: ignore[method-assign]
