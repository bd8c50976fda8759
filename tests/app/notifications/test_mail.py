"""The SMTP sender against a real local SMTP server: TLS, authentication and reply codes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.notifications import mail
from app.notifications.errors import PermanentSendError, TransientSendError
from tests.fakes.smtp import FakeSMTP, self_signed, serve_smtp

FROM = "Uppsikt <uppsikt@kommun.example>"


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


def message(to: str = "registrator@kommun.example") -> mail.EmailMessage:
    return mail.build_message(
        mail_from=FROM,
        to=to,
        subject="Registreringsbegäran: kommentar på Facebook – Uppsikt ärende 7",
        body="Hej!\n\nKommentaren: »Mitt personnummer är 19121212-1212«",
        message_id="msg_abc",
        attachments=(mail.Attachment("bevisunderlag-7.pdf", b"%PDF-1.7 test"),),
    )


def config(url: str, ca: Path | None = None, timeout: float = 2.0) -> mail.SmtpConfig:
    return mail.SmtpConfig(url=url, mail_from=FROM, timeout_s=timeout, ca_file=str(ca) if ca else "")


def test_starttls_and_login_when_the_relay_offers_them(cert: tuple[Path, Path]) -> None:
    fake = FakeSMTP(users={"uppsikt": "hemligt/losen"})
    with serve_smtp(fake, tls="starttls", cert=cert) as port:
        mail.send(config(f"smtp://uppsikt:hemligt%2Flosen@127.0.0.1:{port}", cert[0]), message())
        with pytest.raises(PermanentSendError) as refused:
            mail.send(config(f"smtp://uppsikt:fel@127.0.0.1:{port}", cert[0]), message())
        with pytest.raises(PermanentSendError) as not_ascii:
            mail.send(config(f"smtp://uppsikt:l%C3%B6sen@127.0.0.1:{port}", cert[0]), message())
        with pytest.raises(PermanentSendError) as untrusted:  # no CA: the certificate is not trusted
            mail.send(config(f"smtp://uppsikt:hemligt%2Flosen@127.0.0.1:{port}"), message())
    [received] = fake.received
    assert received.tls and received.authenticated_as == "uppsikt"
    assert received.message["Message-ID"] == "<msg_abc@kommun.example>"
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == "bevisunderlag-7.pdf"
    assert attachment.get_content() == b"%PDF-1.7 test"
    assert "Mitt personnummer är 19121212-1212" in received.message.get_body().get_content()
    assert refused.value.code == "smtp_auth" and "lösenord" in refused.value.reason
    assert "ASCII" in not_ascii.value.reason
    assert untrusted.value.code == "smtp_tls"


def test_implicit_tls_with_smtps(cert: tuple[Path, Path]) -> None:
    fake = FakeSMTP()
    with serve_smtp(fake, tls="implicit", cert=cert) as port:
        mail.send(config(f"smtps://127.0.0.1:{port}", cert[0]), message())
    [received] = fake.received
    assert received.tls


@pytest.fixture(scope="module")
def plain() -> Iterator[tuple[FakeSMTP, int]]:
    fake = FakeSMTP()
    with serve_smtp(fake) as port:
        yield fake, port


def test_reply_codes_decide_between_later_and_never(plain: tuple[FakeSMTP, int]) -> None:
    fake, port = plain
    url = f"smtp://127.0.0.1:{port}"
    fake.fail_next("rcpt", 450, "Mailbox busy")
    with pytest.raises(TransientSendError) as later:
        mail.send(config(url), message())
    fake.fail_next("data", 552, "Too big")
    with pytest.raises(PermanentSendError) as never:
        mail.send(config(url), message())
    fake.fail_next("rcpt", 550, "No such user")
    with pytest.raises(PermanentSendError) as unknown:
        mail.send(config(url), message())
    assert later.value.code == "smtp_450" and "senare" in later.value.reason
    assert never.value.code == "smtp_552" and unknown.value.code == "smtp_550"
    assert fake.received == []


def test_a_relay_that_hangs_or_is_away_is_tried_again(plain: tuple[FakeSMTP, int]) -> None:
    fake, port = plain
    fake.stall_s = 1.0
    try:
        with pytest.raises(TransientSendError) as hung:
            mail.send(config(f"smtp://127.0.0.1:{port}", timeout=0.3), message())
    finally:
        fake.stall_s = 0.0
    with pytest.raises(TransientSendError) as away:
        mail.send(config("smtp://127.0.0.1:1"), message())
    assert hung.value.code == away.value.code == "smtp_unreachable"


def test_missing_settings_fail_with_what_to_set() -> None:
    with pytest.raises(PermanentSendError) as missing:
        mail.send(mail.SmtpConfig(url="", mail_from="", timeout_s=1), message())
    with pytest.raises(PermanentSendError) as wrong:
        mail.send(config("http://127.0.0.1:25"), message())
    assert "UPPSIKT_SMTP_URL" in missing.value.reason and missing.value.code == "smtp_not_configured"
    assert wrong.value.code == "smtp_bad_url"
