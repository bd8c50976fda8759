"""Serve an ASGI app with uvicorn on a free local port in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


@contextmanager
def serve(app: Any, *, port: int = 0, lifespan: str = "off", startup_timeout: float = 10.0) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:<port>``) while ``app`` is served.

    ``port`` is for a test that must know the address in advance; ``lifespan="on"``
    runs the app's own start-up and shutdown (the real app rather than a fake).

    The socket is bound here (port 0) and handed to uvicorn, so there is no race
    between picking a free port and binding it.  h11 and no websocket stack keep
    the server free of optional-dependency deprecation warnings, which matter
    because the suite turns every warning into an error.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        http="h11",
        ws="none",
        lifespan=lifespan,
        loop="asyncio",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name=f"fake-{port}")
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the fake server thread died during startup")
            if time.monotonic() > deadline:
                raise RuntimeError("the fake server did not start in time")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=startup_timeout)
        sock.close()
