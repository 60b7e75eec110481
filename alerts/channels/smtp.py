"""Email alerts over SMTP: plain text + HTML, proper headers, a stable Message-ID per alert.

Server settings never come from the rules file (which says only whom to write to). They come from
the environment:

====================  =================================================  ======================
variable              meaning                                            default
====================  =================================================  ======================
PANTAU_SMTP_HOST      SMTP server                                        (required)
PANTAU_SMTP_PORT      port                                               587 (STARTTLS), 465
                                                                         (SSL), else 25
PANTAU_SMTP_USER      login (no login when empty)
PANTAU_SMTP_PASSWORD  password
PANTAU_SMTP_STARTTLS  ``1`` upgrade the connection with STARTTLS         1 (0 when SSL)
PANTAU_SMTP_SSL       ``1`` implicit TLS from the first byte (port 465)  0
PANTAU_SMTP_FROM      sender address                                     pantau@localhost
PANTAU_SMTP_TIMEOUT   seconds per SMTP operation                         30
PANTAU_SMTP_CONN_ID   take all of the above from this Airflow connection
====================  =================================================  ======================

An Airflow connection (``AIRFLOW_CONN_PANTAU_SMTP='smtp://user:pass@mail.example.org:587?
starttls=true&from=pantau%40example.org'`` or one stored in Airflow) gives host, port, login,
password and, in its extras, ``starttls``, ``ssl``, ``from`` and ``timeout``.

The Message-ID is derived from the alert id (or the digest id), so a resend after a crash carries
the same Message-ID and mail systems and clients can drop the repeat.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Any

from alerts.channels import daily_render, render
from alerts.channels.base import (
    Alert,
    Channel,
    ChannelKey,
    ChannelSpec,
    ChannelTimeout,
    ChannelUnavailable,
    DailyDigest,
    DeliveryError,
    Digest,
)
from alerts.channels.registry import register_channel
from core.errors import ConfigError
from core.settings import TRUE_WORDS, Environment, environment

log = logging.getLogger(__name__)


def _flag(value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in TRUE_WORDS


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    starttls: bool = True
    ssl: bool = False
    sender: str = "pantau@localhost"
    timeout: float = 30.0

    def __repr__(self) -> str:  # never show the password in logs or tracebacks
        return (f"SmtpSettings(host={self.host!r}, port={self.port}, user={self.user!r}, "
                f"starttls={self.starttls}, ssl={self.ssl}, sender={self.sender!r})")

    @classmethod
    def build(cls, host: str | None, port: Any, user: str | None, password: str | None,
              starttls: Any, use_ssl: Any, sender: str | None, timeout: Any,
              origin: str) -> SmtpSettings:
        if not host:
            raise ConfigError(f"{origin}: no SMTP host; set PANTAU_SMTP_HOST (or "
                              "PANTAU_SMTP_CONN_ID to an Airflow connection) to send email")
        tls = _flag(use_ssl, False)
        start = _flag(starttls, not tls) and not tls
        try:
            port_n = int(port) if port not in (None, "") else (465 if tls else 587 if start else 25)
        except (TypeError, ValueError):
            raise ConfigError(f"{origin}: SMTP port {port!r} is not a number") from None
        try:
            seconds = float(timeout) if timeout not in (None, "") else 30.0
        except (TypeError, ValueError):
            raise ConfigError(f"{origin}: SMTP timeout {timeout!r} is not a number") from None
        return cls(host=host, port=port_n, user=user or None, password=password or None,
                   starttls=start, ssl=tls, sender=sender or "pantau@localhost", timeout=seconds)


def smtp_settings(env: Mapping[str, str] | None = None) -> SmtpSettings:
    """SMTP settings from the environment, or from the Airflow connection it names."""
    e = environment() if env is None else Environment.read(env)
    if e.smtp_conn_id:
        return smtp_settings_from_connection(_airflow_connection(e.smtp_conn_id), e.smtp_conn_id)
    return SmtpSettings.build(
        e.smtp_host, e.smtp_port, e.smtp_user, e.smtp_password, e.smtp_starttls or None,
        e.smtp_ssl or None, e.smtp_from, e.smtp_timeout, origin="environment",
    )


def _airflow_connection(conn_id: str) -> Any:
    try:
        from airflow.sdk import BaseHook
    except ImportError:
        raise ConfigError(f"PANTAU_SMTP_CONN_ID={conn_id}: Airflow is not installed; set "
                          "PANTAU_SMTP_HOST and friends instead") from None
    try:
        return BaseHook.get_connection(conn_id)
    except Exception as exc:  # Airflow raises its own not-found error type
        raise ConfigError(f"Airflow connection '{conn_id}' (PANTAU_SMTP_CONN_ID) cannot be "
                          f"read: {exc}") from None


def smtp_settings_from_connection(conn: Any, conn_id: str = "smtp") -> SmtpSettings:
    """SMTP settings from an Airflow ``Connection`` (host, port, login, password, extras)."""
    extra = getattr(conn, "extra_dejson", None) or {}
    return SmtpSettings.build(
        conn.host, conn.port, conn.login, conn.password, extra.get("starttls"), extra.get("ssl"),
        extra.get("from"), extra.get("timeout"), origin=f"Airflow connection '{conn_id}'",
    )


def _domain(address: str) -> str:
    _, addr = parseaddr(address)
    return addr.rpartition("@")[2] or "pantau.localhost"


@register_channel
class EmailChannel(Channel):
    """Sends each alert (or digest) as one email to ``to``; one SMTP session per run."""

    type_name = "email"
    keys = (
        ChannelKey("to", "an address or a list of them", required=True, many=True),
        ChannelKey("from", "the sender address (default: `PANTAU_SMTP_FROM`)"),
    )

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> None:
        to = options["to"]
        addresses = [to] if isinstance(to, str) else to
        if not isinstance(addresses, list) or not all(
            isinstance(a, str) and "@" in a for a in addresses
        ):
            raise ValueError("'to' must be an email address or a list of them")

    @classmethod
    def from_spec(cls, spec: ChannelSpec, outbox: Path) -> EmailChannel:
        """Server settings come from the environment (:func:`smtp_settings`), not the spec."""
        to = spec.options["to"]
        return cls(spec.name, [to] if isinstance(to, str) else list(to), smtp_settings(),
                   sender=spec.options.get("from"))

    def __init__(self, name: str, to: list[str], settings: SmtpSettings,
                 sender: str | None = None) -> None:
        self.name = name
        self.to = list(to)
        self.settings = settings
        self.sender = sender or settings.sender
        self._smtp: smtplib.SMTP | None = None

    # -- messages ------------------------------------------------------------------------------
    def _message(self, subject: str, plain: str, html_body: str, message_key: str,
                 rule: str, when: datetime) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = subject
        msg["From"] = self.sender if "<" in self.sender else formataddr(("pantau", self.sender))
        msg["To"] = ", ".join(self.to)
        msg["Date"] = format_datetime(when.astimezone(UTC))
        msg["Message-ID"] = f"<{message_key}@{_domain(self.sender)}>"
        msg["Auto-Submitted"] = "auto-generated"
        msg["X-Auto-Response-Suppress"] = "All"
        msg["X-Pantau-Rule"] = rule
        msg.set_content(plain)
        msg.add_alternative(html_body, subtype="html")
        return msg

    def message_for(self, alert: Alert) -> EmailMessage:
        msg = self._message(render.subject(alert), render.plain_text(alert),
                            render.html_text(alert), f"alert.{alert.id}", alert.rule,
                            alert.matched_at)
        msg["X-Pantau-Alert-Id"] = alert.id
        return msg

    def message_for_digest(self, digest: Digest) -> EmailMessage:
        when = max(a.matched_at for a in digest.alerts)
        msg = self._message(render.digest_subject(digest), render.digest_plain_text(digest),
                            render.digest_html_text(digest), f"digest.{digest.id}", digest.rule,
                            when)
        msg["X-Pantau-Digest-Id"] = digest.id
        return msg

    def message_for_daily(self, digest: DailyDigest) -> EmailMessage:
        when = max(a.matched_at for a in digest.alerts)
        msg = self._message(daily_render.subject(digest), daily_render.plain_text(digest),
                            daily_render.html_text(digest), f"daily.{digest.id}",
                            ", ".join(r for r, _ in digest.queries), when)
        msg["X-Pantau-Digest-Id"] = digest.id
        msg["X-Pantau-Digest-Day"] = digest.day.isoformat()
        return msg

    # -- SMTP ----------------------------------------------------------------------------------
    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        where = f"SMTP {s.host}:{s.port}"
        try:
            smtp: smtplib.SMTP
            if s.ssl:
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.starttls:
                    smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise ChannelUnavailable(f"{where}: login refused ({exc.smtp_code}); check "
                                     "PANTAU_SMTP_USER / PANTAU_SMTP_PASSWORD") from None
        except smtplib.SMTPNotSupportedError:
            raise ChannelUnavailable(f"{where}: the server does not offer STARTTLS; set "
                                     "PANTAU_SMTP_STARTTLS=0 if that is intended") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise ChannelUnavailable(f"{where}: cannot connect: {exc}") from None
        return smtp

    def _deliver(self, msg: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"all recipients refused: {sorted(exc.recipients)}") from None
        except smtplib.SMTPResponseException as exc:  # an answer about this message
            self._reset()
            raise DeliveryError(f"SMTP error {exc.smtp_code}: {exc.smtp_error!r}") from None
        except TimeoutError:
            self._reset()
            raise ChannelTimeout(f"SMTP {self.settings.host}:{self.settings.port}: no answer "
                                 f"within {self.settings.timeout:g}s") from None
        except (OSError, smtplib.SMTPException) as exc:  # the connection broke: channel trouble
            self._reset()
            raise ChannelUnavailable(f"SMTP session failed: {exc}") from None
        if refused:
            log.warning("email %s: some recipients refused: %s", msg["Message-ID"], refused)

    def _reset(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with contextlib.suppress(OSError):
                smtp.close()

    def send(self, alert: Alert) -> None:
        self._deliver(self.message_for(alert))

    def send_digest(self, digest: Digest) -> None:
        self._deliver(self.message_for_digest(digest))

    def send_daily(self, digest: DailyDigest) -> None:
        self._deliver(self.message_for_daily(digest))

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
