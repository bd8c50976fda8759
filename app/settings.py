"""One settings object for the whole service.

Everything configurable comes from environment variables with the prefix
``UPPSIKT_`` (or a ``.env`` file), is validated once at start, and is passed
explicitly into ``create_app`` and the worker: tests build apps from
``Settings`` objects instead of patching the environment at import time.
Secrets are ``SecretStr`` so that printing or logging the settings never
reveals them.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_SQLITE_PATH = Path("uppsikt.db")


def _split_secrets(raw: SecretStr) -> tuple[bytes, ...]:
    """Comma-separated secrets, blanks removed: an empty secret never verifies."""
    return tuple(part.strip().encode("utf-8") for part in raw.get_secret_value().split(",") if part.strip())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="UPPSIKT_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://… in production.",
    )
    #: Meta app secrets, comma-separated; every one verifies so a secret can be rotated
    #: without dropping deliveries signed with the old one.
    meta_app_secrets: SecretStr = SecretStr("")
    meta_verify_token: SecretStr = SecretStr("")
    linkedin_client_secret: SecretStr = SecretStr("")
    meta_graph_url: str = "https://graph.facebook.com"
    meta_graph_version: str = "v25.0"
    #: Where accounts connected through Instagram Login are called (each account keeps its own base).
    instagram_graph_url: str = "https://graph.instagram.com"
    #: The Meta app's id: with the first app secret it makes the app token that inspects tokens.
    meta_app_id: str = ""
    linkedin_api_url: str = "https://api.linkedin.com"
    linkedin_api_version: str = "202607"
    #: LinkedIn's OAuth host (token introspection) and the app's client id.
    linkedin_oauth_url: str = "https://www.linkedin.com"
    linkedin_client_id: str = ""
    #: The LinkedIn developer application's id, for event subscriptions
    #: (``urn:li:developerApplication:{id}``).
    linkedin_app_id: str = ""
    #: Key for encrypting platform access tokens at rest (Fernet, urlsafe base64 of 32 bytes).
    secret_key: SecretStr = SecretStr("")

    max_body_bytes: int = Field(default=1024 * 1024, gt=0)
    #: Webhook bodies only: Meta batches up to 1,000 changes in one delivery and documents no
    #: maximum size (shared/platforms.md §1.6, §7.5), so this is far above the API's limit.
    webhook_max_body_bytes: int = Field(default=32 * 1024 * 1024, gt=0)
    #: How long a statement waits for a lock before failing (SQLite busy timeout, PostgreSQL
    #: lock_timeout).  A webhook that cannot store its delivery in time answers 503 so the
    #: platform retries, instead of hanging past the platform's own timeout.
    db_lock_timeout_ms: int = Field(default=5000, gt=0)
    db_pool_size: int = Field(default=10, gt=0)

    #: Run the inbox worker inside ``uppsikt serve`` (the embedded default).
    worker_in_process: bool = True
    #: Most deliveries committed together by the webhooks' group commit.
    inbox_commit_max_batch: int = Field(default=256, gt=0)
    #: Serve the two webhook POSTs straight from ASGI, before the framework (app.webhooks.fast_path).
    webhook_fast_path: bool = True
    worker_batch_size: int = Field(default=100, gt=0)
    #: SQLite has one writer: the worker writes at most this many deliveries per transaction,
    #: so that a webhook's acknowledgement waits for one short transaction at most.
    worker_sqlite_write_batch: int = Field(default=20, gt=0)
    #: Scheduling niceness of an ``uppsikt worker`` process (0 = as the API, 19 = lowest).
    #: A platform waits for its acknowledgement; a backlog can wait a little longer.
    worker_nice: int = Field(default=10, ge=0, le=19)
    worker_poll_interval_s: float = Field(default=0.2, gt=0)
    worker_max_attempts: int = Field(default=8, gt=0)
    worker_backoff_base_s: float = Field(default=2.0, gt=0)
    worker_backoff_cap_s: float = Field(default=900.0, gt=0)

    #: A claim on a queue item lasts this long unless renewed.
    claim_ttl_s: int = Field(default=900, gt=0)
    action_batch_size: int = Field(default=10, gt=0)
    action_max_attempts: int = Field(default=8, gt=0)
    #: A running platform call holds its action this long; after that another worker may take it.
    action_lease_s: float = Field(default=60.0, gt=0)
    action_backoff_base_s: float = Field(default=2.0, gt=0)
    action_backoff_cap_s: float = Field(default=900.0, gt=0)
    platform_timeout_s: float = Field(default=10.0, gt=0)
    #: How often the worker checks every account's token (0 = only ``uppsikt account check-tokens``).
    token_check_interval_s: float = Field(default=86400.0, ge=0)
    #: A token that expires within this many days is warned about.
    token_expiry_warning_days: int = Field(default=14, ge=0)

    #: Default format of a case number (diarienummer), e.g. ``KS 2024/567``; tenants may set their own.
    diarienummer_pattern: str = r"^[A-ZÅÄÖ]{1,8}(-[A-ZÅÄÖ]{1,8})? \d{4}/\d{1,6}(-\d{1,4})?$"
    #: A folder of the municipality's own policy files (YAML, like the bundled presets).
    policy_dir: Path | None = None
    #: How often the worker runs culling (gallring); 0 turns the schedule off.
    retention_interval_s: float = Field(default=3600.0, ge=0)

    # --- Reconciliation and polled platforms (app.reconcile) ---
    #: How often the worker lists each account's recent comments through the platform API
    #: and feeds what webhooks missed into the inbox; 0 turns the schedule off.
    reconcile_interval_s: float = Field(default=900.0, ge=0)
    #: A run reads posts (videos) from this many days back, newest first ...
    reconcile_lookback_days: float = Field(default=14.0, gt=0)
    #: ... but at most this many per account.
    reconcile_max_posts: int = Field(default=50, gt=0)
    youtube_api_url: str = "https://www.googleapis.com/youtube/v3"
    #: YouTube Data API units per day for the whole Google Cloud project (10,000 by default);
    #: Uppsikt stops calling before it would spend more.
    youtube_daily_quota: int = Field(default=10_000, ge=0)
    #: Google OAuth client of the Uppsikt installation.  When set, a YouTube account's stored
    #: token is its *refresh* token and Uppsikt fetches hour-long access tokens itself; when
    #: not, the stored token is used as an access token (it stops working within the hour).
    youtube_client_id: str = ""
    youtube_client_secret: SecretStr = SecretStr("")
    youtube_token_url: str = "https://oauth2.googleapis.com/token"  # noqa: S105 - a public URL

    #: Evidence keeps the images a comment carries (photo, GIF, video thumbnail) up to this
    #: size each; 0 turns downloading off (the links are still kept).
    media_max_bytes: int = Field(default=5 * 1024 * 1024, ge=0)

    # --- Authentication, rate limits and hostile input (app.auth, app.oidc, app.ratelimit) ---
    #: OIDC bearer tokens from the municipality's identity provider; off unless issuer,
    #: audience and one of the JWKS URL / file are set.
    oidc_issuer: str = ""
    oidc_audience: str = ""
    oidc_jwks_url: str = ""
    oidc_jwks_file: str = ""
    #: Claims holding the tenant's name, the role, and the person (falls back to ``sub``).
    oidc_tenant_claim: str = "uppsikt_tenant"
    oidc_role_claim: str = "uppsikt_role"
    oidc_subject_claim: str = "email"
    #: Comma-separated; asymmetric algorithms only.
    oidc_algorithms: str = "RS256,ES256"
    oidc_leeway_s: float = Field(default=30.0, ge=0)
    oidc_jwks_ttl_s: float = Field(default=3600.0, gt=0)
    #: At most one JWKS fetch this often, however many unknown ``kid`` values arrive.
    oidc_jwks_refetch_interval_s: float = Field(default=60.0, ge=0)
    oidc_timeout_s: float = Field(default=5.0, gt=0)
    #: Requests per minute per API key or OIDC user (0 turns the limit off), and the burst.
    #: Kept in each API process: with N replicas the effective limit is N times this.
    rate_limit_per_minute: int = Field(default=600, ge=0)
    rate_limit_burst: int = Field(default=120, gt=0)
    #: Failed authentications per minute from one client address before it gets 429.
    auth_failures_per_minute: int = Field(default=30, ge=0)
    #: Deepest JSON nesting accepted in a REST API body (webhook bodies are stored raw).
    json_max_depth: int = Field(default=32, gt=0)
    #: Origins allowed to call the API from a browser, comma-separated; empty = no CORS at all.
    cors_origins: str = ""

    # --- The web inbox (app.web) ---
    #: The address people reach the service at, for links the service prints (sign-in links).
    public_url: str = "http://localhost:8000"
    #: A browser session lasts this long from sign-in, however active.
    web_session_ttl_s: int = Field(default=8 * 3600, gt=0)
    #: A one-time sign-in link from ``uppsikt login-link`` is valid this long.
    login_link_ttl_s: int = Field(default=600, gt=0)
    #: Sign-in with the identity provider (authorization code + PKCE); on when the client id
    #: and redirect URL are set and the OIDC issuer and keys above are configured.
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")
    #: Must be this service's ``/logga-in/oidc/callback`` as registered at the provider.
    oidc_redirect_url: str = ""

    #: A municipality's own model (off unless a URL is set): a text-classification endpoint
    #: (POST ``{"inputs": text}`` → ``[{"label", "score"}]``, as Hugging Face's
    #: text-embeddings-inference ``/predict`` and the Inference API answer) that decides the
    #: listed categories instead of the built-in model, which stays the fallback.
    remote_model_url: str = ""
    remote_model_token: SecretStr = SecretStr("")
    #: The categories the endpoint decides, comma-separated (category codes).
    remote_model_categories: str = ""
    #: The endpoint's labels as category codes where they differ: ``toxic=harassment,hate=hate_speech``
    #: (each a category listed above).
    remote_model_labels: str = ""
    remote_model_threshold: float = Field(default=0.5, gt=0, le=1)
    remote_model_timeout_s: float = Field(default=2.0, gt=0)
    #: After a failed call the endpoint is left alone this long (the built-in model answers).
    remote_model_pause_s: float = Field(default=30.0, ge=0)
    #: What the findings call it, e.g. ``kb-bert-toxic`` (at most 64 characters, no ``+``: it
    #: becomes part of every assessment's model version).
    remote_model_name: str = "egen modell"
    #: The tenants (names, comma-separated) whose comments are sent to the endpoint, whole text
    #: and personal data included; empty: nobody's, so the endpoint is not called at all.
    remote_model_tenants: str = ""
    # --- Forwarding and notifications (app.notifications) ---
    #: ``smtp://user:password@host:587`` (STARTTLS when the server offers it) or ``smtps://…:465``
    #: (implicit TLS); empty: e-mail messages wait, failing visibly with a reason.
    smtp_url: SecretStr = SecretStr("")
    #: The sender of every e-mail, e.g. ``Uppsikt <uppsikt@kommun.se>``.
    mail_from: str = ""
    #: A CA bundle for the mail relay's certificate (a municipal relay with its own CA).
    smtp_ca_file: str = ""
    smtp_timeout_s: float = Field(default=20.0, gt=0)
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    message_batch_size: int = Field(default=10, gt=0)
    message_max_attempts: int = Field(default=8, gt=0)
    #: A message being sent holds its row this long; after that it is sent again, with the same id.
    message_lease_s: float = Field(default=120.0, gt=0)
    message_backoff_base_s: float = Field(default=5.0, gt=0)
    message_backoff_cap_s: float = Field(default=1800.0, gt=0)
    #: How often the worker looks for overdue items and digests to send; 0 turns it off.
    notification_tick_s: float = Field(default=60.0, ge=0)

    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        """A URL SQLAlchemy can use: checked here, so a typo fails at start with one line.

        ``postgresql://`` means the bundled driver (psycopg 3), not psycopg2.  Messages
        are Swedish (an operator reads them) and never repeat the value: it may hold a password.
        """
        example = "t.ex. sqlite:///uppsikt.db eller postgresql+psycopg://användare@värd:5432/databas"
        try:
            url = make_url(value)
            port = url.port
        except (ArgumentError, ValueError):
            raise ValueError(f"går inte att tolka som en databas-URL ({example})") from None
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(f"bara SQLite och PostgreSQL stöds ({example})")
        if port is not None and not 0 < port < 65536:
            raise ValueError(f"portnumret måste vara 1–65535 ({example})")
        if url.drivername == "postgresql":
            return "postgresql+psycopg" + value[len("postgresql") :]
        return value

    @property
    def meta_secrets(self) -> tuple[bytes, ...]:
        return _split_secrets(self.meta_app_secrets)

    @property
    def meta_call_secret(self) -> bytes | None:
        """The secret that signs ``appsecret_proof`` and makes the app token: the first one listed."""
        return self.meta_secrets[0] if self.meta_secrets else None

    @property
    def linkedin_secrets(self) -> tuple[bytes, ...]:
        return _split_secrets(self.linkedin_client_secret)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
