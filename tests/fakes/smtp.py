"""A local SMTP server (aiosmtpd) that keeps what it receives and fails on request.

It speaks real SMTP on a local port: plain, with STARTTLS, or TLS from the
first byte (a self-signed certificate the client is told to trust), with
optional AUTH.  ``fail_next`` makes the next transactions answer a given
reply code at RCPT or DATA, and ``stall_s`` makes DATA hang past a client's
timeout, so retries are exercised over the wire.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    authenticated_as: str | None
    tls: bool


@dataclass
class FakeSMTP:
    received: list[Received] = field(default_factory=list)
    #: Each entry: (stage, code, text); stage is "rcpt" or "data".
    faults: list[tuple[str, int, str]] = field(default_factory=list)
    stall_s: float = 0.0
    users: dict[str, str] = field(default_factory=dict)
    transactions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, stage: str, code: int, text: str = "Prova senare", times: int = 1) -> None:
        with self.lock:
            self.faults.extend([(stage, code, text)] * times)

    def _fault(self, stage: str) -> str | None:
        with self.lock:
            if self.faults and self.faults[0][0] == stage:
                _, code, text = self.faults.pop(0)
                return f"{code} {text}"
        return None

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    # -- aiosmtpd handler hooks ------------------------------------------------------------

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        fault = self._fault("rcpt")
        if fault:
            return fault
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.transactions += 1
        if self.stall_s:
            # Hang past the client's timeout, then refuse: the client has gone and must retry.
            await asyncio.sleep(self.stall_s)
            return "451 För sent"
        fault = self._fault("data")
        if fault:
            return fault
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), message, login, _encrypted(server))
        )
        return "250 Mottaget"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword) and self.users.get(data.login.decode()) == data.password.decode():
            return AuthResult(success=True, auth_data=data)
        return AuthResult(success=False, handled=False)


def _encrypted(server: Any) -> bool:
    """TLS on the connection, whether from STARTTLS or from the first byte."""
    return server.transport is not None and server.transport.get_extra_info("ssl_object") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "uppsikt-test-relay")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "relay.pem", directory / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@contextmanager
def serve_smtp(fake: FakeSMTP, *, tls: str = "none", cert: tuple[Path, Path] | None = None) -> Iterator[int]:
    """Serve ``fake`` on a local port; ``tls`` is ``none``, ``starttls`` (required, with AUTH) or
    ``implicit``.  Yields the port."""
    kwargs: dict[str, Any] = {"authenticator": fake.authenticate} if fake.users else {}
    context = None
    if tls != "none":
        assert cert is not None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
    if tls == "starttls":
        kwargs.update(tls_context=context, require_starttls=True, auth_require_tls=True)
    elif tls == "implicit":
        kwargs.update(ssl_context=context)
    if fake.users:
        kwargs["auth_required"] = True
    port = free_port()
    controller = Controller(fake, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
