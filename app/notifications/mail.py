"""Sending e-mail through the municipality's relay with the standard library.

``smtp://`` connects in plain text and upgrades with STARTTLS whenever the
server offers it (a relay that offers it must not see credentials in the
clear); ``smtps://`` is TLS from the first byte.  Credentials come from the
URL's user and password.  Reply codes decide what happens next: 4xx is the
relay asking us to come back later, 5xx a refusal that retrying will not
change.  The Message-ID is the outbox's stable id, so a message sent again
after an unknown outcome is recognisably the same message.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from app.notifications.errors import PermanentSendError, TransientSendError

REASON_NOT_CONFIGURED = "E-post kan inte skickas: UPPSIKT_SMTP_URL och UPPSIKT_MAIL_FROM behöver anges."
REASON_BAD_URL = "UPPSIKT_SMTP_URL ska börja med smtp:// eller smtps:// och ange en server."
REASON_AUTH = (
    "E-postservern godtog inte inloggningen – kontrollera användare och lösenord i UPPSIKT_SMTP_URL."
)
REASON_AUTH_ASCII = (
    "Användare och lösenord i UPPSIKT_SMTP_URL får bara innehålla ASCII-tecken (inga å, ä, ö)."
)
REASON_TLS = "E-postserverns certifikat kunde inte verifieras – ange dess CA i UPPSIKT_SMTP_CA_FILE."
REASON_UNREACHABLE = "E-postservern svarade inte ({detail}); nytt försök görs."
REASON_REFUSED = "E-postservern vägrade ta emot meddelandet ({code} {text})."
REASON_LATER = "E-postservern bad om ett nytt försök senare ({code} {text})."


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    url: str
    mail_from: str
    timeout_s: float
    ca_file: str = ""


def build_message(
    *,
    mail_from: str,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    attachments: tuple[Attachment, ...] = (),
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = mail_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    domain = mail_from.rpartition("@")[2].strip(" >") or "uppsikt.invalid"
    msg["Message-ID"] = f"<{message_id}@{domain}>" if message_id else make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(body, charset="utf-8")
    for a in attachments:
        msg.add_attachment(a.content, maintype=a.maintype, subtype=a.subtype, filename=a.filename)
    return msg


def _context(ca_file: str) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file or None)


def send(config: SmtpConfig, message: EmailMessage) -> None:
    if not config.url or not config.mail_from:
        raise PermanentSendError(REASON_NOT_CONFIGURED, code="smtp_not_configured")
    parts = urlsplit(config.url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise PermanentSendError(REASON_BAD_URL, code="smtp_bad_url")
    implicit = parts.scheme == "smtps"
    port = parts.port or (465 if implicit else 25)
    try:
        client: smtplib.SMTP
        if implicit:
            client = smtplib.SMTP_SSL(
                parts.hostname, port, timeout=config.timeout_s, context=_context(config.ca_file)
            )
        else:
            client = smtplib.SMTP(parts.hostname, port, timeout=config.timeout_s)
        with client:
            client.ehlo()
            if not implicit and client.has_extn("starttls"):
                client.starttls(context=_context(config.ca_file))
                client.ehlo()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            refused = client.send_message(message)
            if refused:  # some recipients refused: the one recipient we send to
                code, text = next(iter(refused.values()))
                _raise_for(code, text)
    except smtplib.SMTPAuthenticationError:
        raise PermanentSendError(REASON_AUTH, code="smtp_auth") from None
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        _raise_for(code, text)
    except smtplib.SMTPResponseException as exc:
        _raise_for(exc.smtp_code, exc.smtp_error)
    except UnicodeEncodeError:  # smtplib's AUTH sends ASCII only
        raise PermanentSendError(REASON_AUTH_ASCII, code="smtp_auth") from None
    except ssl.SSLCertVerificationError:
        raise PermanentSendError(REASON_TLS, code="smtp_tls") from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TransientSendError(
            REASON_UNREACHABLE.format(detail=type(exc).__name__), code="smtp_unreachable"
        ) from None


def _raise_for(code: int, text: bytes | str) -> None:
    words = (text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text))[:200]
    if 400 <= code < 500:
        raise TransientSendError(REASON_LATER.format(code=code, text=words), code=f"smtp_{code}")
    raise PermanentSendError(REASON_REFUSED.format(code=code, text=words), code=f"smtp_{code}")
