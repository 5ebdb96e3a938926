"""Real servers on 127.0.0.1 that the reminder tests send to: SMTP (aiosmtpd) and a webhook
receiver (http.server). Each records exactly what arrived."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(msg)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                     auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            self.logins.append((login, password))
            return AuthResult(success=password == "rahasia-smtp-123", handled=False)
        return AuthResult(success=False, handled=False)

    def body(self, i: int = -1) -> str:
        part = self.messages[i].get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content()).replace("\r\n", "\n")


@contextmanager
def smtp_server(*, starttls: ssl.SSLContext | None = None,
                implicit: ssl.SSLContext | None = None) -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    kwargs: dict[str, Any] = {"hostname": "127.0.0.1", "port": port}
    if starttls is not None:
        kwargs.update(tls_context=starttls, require_starttls=True,
                      authenticator=box.authenticate, auth_require_tls=True)
    if implicit is not None:
        kwargs.update(ssl_context=implicit, authenticator=box.authenticate,
                      auth_require_tls=False)
    controller = Controller(box, **kwargs)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@dataclass
class Hook:
    status: int = 200
    requests: list[tuple[str, dict[str, str], dict[str, Any]]] = field(default_factory=list)


@contextmanager
def webhook_server(status: int = 200) -> Iterator[tuple[Hook, int]]:
    hook = Hook(status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            hook.requests.append((self.path, dict(self.headers.items()),
                                  json.loads(raw.decode("utf-8"))))
            self.send_response(hook.status)
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

        def log_message(self, *args: Any) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (openssl), standing for the office mail server's own CA."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx
