# The targeted fix, for benchmarks/interaction_latency.py --server-config: the kernel websocket
# handler of jupyter_server calls tornado's WebSocketHandler.set_nodelay(True) when it opens.
# Tornado leaves Nagle's algorithm on for websockets unless a handler opts out, and jupyter_server
# does not: a reply written in several small frames then waits for the browser's delayed ACK.
from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

_open = KernelWebsocketHandler.open


async def _open_nodelay(self, kernel_id):  # type: ignore[no-untyped-def]
    self.set_nodelay(True)
    await _open(self, kernel_id)


KernelWebsocketHandler.open = _open_nodelay  # type: ignore[method-assign]
