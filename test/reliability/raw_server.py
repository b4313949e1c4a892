"""A TCP server on 127.0.0.1 that hands each connection to a test's script, byte by byte.

An HTTP server library answers properly; the faults these tests need (a body that stops half way,
a byte every 100 ms, a kept-alive connection closed just as the next request arrives) are made
with the raw socket. Each connection runs `script(connection, index)` on its own thread; `index`
counts connections from 0. Stopping the server closes every socket and joins every thread.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import Callable, List, Optional, Tuple

Script = Callable[["RawConnection", int], None]


class RawConnection:
    """One accepted connection, with just enough HTTP to read a request and write an answer."""

    def __init__(self, sock: socket.socket, stopping: threading.Event) -> None:
        self.sock = sock
        self.stopping = stopping
        self._buffer = b""

    def read_request(self) -> Optional[bytes]:
        """The next request's head and body as bytes, or None when the client closed."""
        while b"\r\n\r\n" not in self._buffer:
            chunk = self._recv()
            if not chunk:
                return None
            self._buffer += chunk
        head, _, rest = self._buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            chunk = self._recv()
            if not chunk:
                return None
            rest += chunk
        self._buffer = rest[length:]
        return head + b"\r\n\r\n" + rest[:length]

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def answer(self, status: int, body: bytes, headers: Tuple[Tuple[str, str], ...] = (),
               content_length: Optional[int] = None) -> None:
        """Write a whole answer; `content_length` may claim more than `body` holds."""
        length = len(body) if content_length is None else content_length
        lines = [f"HTTP/1.1 {status} Status", f"Content-Length: {length}"]
        lines += [f"{name}: {value}" for name, value in headers]
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def reset(self) -> None:
        """Abort the connection with a TCP RST instead of an orderly close."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def _recv(self) -> bytes:
        try:
            return self.sock.recv(65536)
        except OSError:
            return b""


class RawServer:
    """Use as a context manager; `url` is http://127.0.0.1:PORT."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.stopping = threading.Event()
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._threads: List[threading.Thread] = []
        self._sockets: List[socket.socket] = []
        self._lock = threading.Lock()
        self._acceptor = threading.Thread(target=self._accept, name="raw-server-accept",
                                          daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> RawServer:
        self._acceptor.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        self._acceptor.join(5)
        with self._lock:
            sockets, threads = list(self._sockets), list(self._threads)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in threads:
            thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except (socket.timeout, OSError):
                continue
            with self._lock:
                index = self.connections
                self.connections += 1
                thread = threading.Thread(target=self._serve, args=(sock, index),
                                          name=f"raw-server-conn-{index}", daemon=True)
                self._sockets.append(sock)
                self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket, index: int) -> None:
        connection = RawConnection(sock, self.stopping)
        with contextlib.suppress(OSError):
            self.script(connection, index)
        # A script that returns is done with its connection: the client sees it closed.
        with contextlib.suppress(OSError):
            sock.close()
