"""Connecting an account to its platform, and checking that its token still works.

``uppsikt account connect`` runs three kinds of steps: *find* (platform reads
only: which Page or organisation the token reaches, whether the person may
moderate it), *store* (the account and its token, encrypted, in the database)
and *subscribe* (the platform starts sending webhooks).  Finding happens before
anything is written, storing before subscribing (so a delivery that arrives the
moment the subscription exists has an account to land on).  Every step tells
the person in one Swedish line what it did; every failure raises ``BadRequest``
with one Swedish line saying what to fix.

The token check (``check_token``) asks the platform about the token itself —
Meta's ``debug_token`` with the app token, LinkedIn's token introspection —
and keeps expiry, missing permissions and any problem on the account, where
``app.connections.health`` turns them into warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.connections import repository
from app.crypto import TokenCipher
from app.db import begin_write
from app.errors import BadRequest
from app.models import Account, Tenant, utcnow
from app.modlog.service import record
from app.platforms.errors import PlatformError, PlatformPermanentError, PlatformTransientError
from app.platforms.linkedin.client import LinkedInClient
from app.platforms.meta.client import MetaGraphClient
from app.settings import Settings
from app.tenants import repository as tenant_repository
from app.tenants.service import add_account
from app.unit_of_work import UnitOfWork

Say = Callable[[str], None]

#: Permissions each kind of account needs, from the platforms' documentation
#: (shared/platforms.md §1.1, §2, §3.2–3.3, §4.6).  LinkedIn renamed its scopes; each
#: entry lists the names that grant it, the current one first (the one we name).
REQUIRED_SCOPES: dict[str, tuple[tuple[str, ...], ...]] = {
    "facebook": (
        ("pages_show_list",),
        ("pages_manage_metadata",),
        ("pages_read_engagement",),
        ("pages_manage_engagement",),
        ("pages_read_user_content",),
    ),
    "instagram": (
        ("instagram_basic",),
        ("instagram_manage_comments",),
        ("pages_show_list",),
        ("pages_read_engagement",),
        ("pages_manage_metadata",),
    ),
    "instagram_login": (("instagram_business_basic",), ("instagram_business_manage_comments",)),
    "linkedin": (
        ("r_organization_social_feed", "r_organization_social"),
        ("w_organization_social_feed", "w_organization_social"),
        ("rw_organization_admin",),
    ),
}

#: The Page task a person needs to moderate comments (``MANAGE`` includes it).
MODERATING_TASKS = frozenset({"MODERATE", "MANAGE"})
FACEBOOK_FIELDS = ("feed",)
INSTAGRAM_FIELDS = ("comments", "live_comments")


@dataclass(frozen=True, slots=True)
class Found:
    """An account the token reaches and may moderate, ready to be stored and subscribed."""

    platform: str
    external_id: str
    name: str
    #: The token stored for the account (a Page token for Pages and Page-linked Instagram).
    token: str
    api_base: str | None = None
    #: Meta: the object ``subscribed_apps`` is called on, and the fields.
    subscribe_object: str | None = None
    subscribe_fields: tuple[str, ...] = ()
    #: LinkedIn: the member whose event subscription delivers the notifications.
    person_urn: str | None = None


@dataclass(slots=True)
class TokenHealth:
    problem: str | None = None
    expires_at: datetime | None = None
    missing_scopes: list[str] = field(default_factory=list)
    #: Why the check failed or what it found, one Swedish line (for the CLI).
    note: str | None = None


class PlatformClients:
    """The clients a connect or a check needs: one Graph client per host, one LinkedIn client."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._meta: dict[str, MetaGraphClient] = {}
        self.linkedin = LinkedInClient(
            base_url=settings.linkedin_api_url,
            api_version=settings.linkedin_api_version,
            timeout=settings.platform_timeout_s,
            oauth_url=settings.linkedin_oauth_url,
        )

    def meta(self, api_base: str | None = None) -> MetaGraphClient:
        base = (api_base or self.settings.meta_graph_url).rstrip("/")
        if base not in self._meta:
            self._meta[base] = MetaGraphClient(
                base_url=base,
                api_version=self.settings.meta_graph_version,
                timeout=self.settings.platform_timeout_s,
                app_secret=self.settings.meta_call_secret,
            )
        return self._meta[base]

    def close(self) -> None:
        for client in self._meta.values():
            client.close()
        self.linkedin.close()


# --- failures, said as what to fix ---------------------------------------------------------------


def _fix(exc: PlatformError, doing: str, *, needs: str) -> BadRequest:
    """One Swedish line for a failed step: what the person must fix, never the platform's trace."""
    if isinstance(exc, PlatformTransientError):
        return BadRequest(f"Plattformen svarade inte när Uppsikt skulle {doing} ({exc.reason}) Försök igen.")
    if exc.code == "token_invalid":
        return BadRequest(
            f"Token är ogiltig eller har gått ut, så Uppsikt kunde inte {doing}: skapa en ny och kör igen."
        )
    if exc.code == "permission_denied":
        return BadRequest(f"Token saknar behörighet att {doing}: ge appen {needs} och kör kommandot igen.")
    if exc.code == "appsecret_proof":
        return BadRequest(exc.reason)
    if exc.code in ("object_unavailable", "comment_gone"):
        return BadRequest(
            f"Plattformen hittar inget att {doing} med den här token: kontrollera id:t och att du är "
            "administratör för kontot."
        )
    detail = f" ({exc.detail})" if exc.detail else ""
    return BadRequest(f"Plattformen avvisade försöket att {doing}{detail}: kontrollera appens inställningar.")


def missing_scopes(platform_kind: str, granted: Sequence[str]) -> list[str]:
    have = set(granted)
    return [names[0] for names in REQUIRED_SCOPES[platform_kind] if not have & set(names)]


def _when(value: Any) -> datetime | None:
    """A Unix time in seconds; 0 (or nothing) means it does not expire."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return datetime.fromtimestamp(float(value), UTC)


def _day(value: datetime | None) -> str:
    return "går inte ut" if value is None else f"går ut {value.date().isoformat()}"


# --- find ----------------------------------------------------------------------------------------


def find_page(clients: PlatformClients, *, user_token: str, page_id: str | None, say: Say) -> dict[str, Any]:
    """The Page (with its Page token) a user or system-user token manages and may moderate."""
    try:
        pages = clients.meta().managed_pages(access_token=user_token)
    except PlatformError as exc:
        raise _fix(exc, "lista sidorna token hanterar", needs="behörigheten pages_show_list") from exc
    say(f"Token godkänd: den hanterar {len(pages)} {'sida' if len(pages) == 1 else 'sidor'}.")
    if page_id is None:
        if len(pages) != 1:
            listed = ", ".join(f"{p.get('id')} ({p.get('name')})" for p in pages[:10]) or "inga"
            raise BadRequest(f"Välj sida med --page ID; token hanterar: {listed}.")
        page = pages[0]
    else:
        matches = [p for p in pages if str(p.get("id")) == page_id]
        if not matches:
            raise BadRequest(
                f"Personen bakom token är inte administratör för sidan {page_id} (den finns inte bland "
                "sidorna token hanterar): be en administratör ge full åtkomst, eller använd hens token."
            )
        page = matches[0]
    name, found_id = str(page.get("name") or page.get("id")), str(page.get("id"))
    tasks = {str(t) for t in page.get("tasks") or []}
    if not tasks & MODERATING_TASKS:
        raise BadRequest(
            f"Personen bakom token får inte moderera sidan {name} (uppgiften MODERATE saknas): "
            "en administratör behöver ge åtkomst med uppgiften Moderera."
        )
    if not isinstance(page.get("access_token"), str) or not page["access_token"]:
        raise BadRequest(
            f"Meta gav ingen sidtoken för {name}: token behöver behörigheten pages_show_list från en "
            "person med full åtkomst till sidan."
        )
    say(f"Sidan {name} ({found_id}) hittades och får modereras.")
    return dict(page)


def find_facebook(clients: PlatformClients, *, user_token: str, page_id: str | None, say: Say) -> Found:
    page = find_page(clients, user_token=user_token, page_id=page_id, say=say)
    return Found(
        platform="facebook",
        external_id=str(page["id"]),
        name=str(page.get("name") or page["id"]),
        token=str(page["access_token"]),
        subscribe_object=str(page["id"]),
        subscribe_fields=FACEBOOK_FIELDS,
    )


def find_instagram(
    clients: PlatformClients, *, token: str, page_id: str | None, instagram_login: bool, say: Say
) -> Found:
    """The Instagram professional account: linked to a Page (Facebook Login), or the token's
    own account at graph.instagram.com (Instagram Login)."""
    if instagram_login:
        base = clients.settings.instagram_graph_url
        try:
            me = clients.meta(base).get_object("me", access_token=token, fields=("user_id", "username"))
        except PlatformError as exc:
            raise _fix(exc, "läsa Instagramkontot", needs="behörigheten instagram_business_basic") from exc
        account_id = str(me.get("user_id") or me.get("id"))
        name = str(me.get("username") or account_id)
        say(f"Instagramkontot {name} ({account_id}) hittades via Instagram-inloggning ({base}).")
        return Found(
            platform="instagram",
            external_id=account_id,
            name=name,
            token=token,
            api_base=base,
            subscribe_object="me",
            subscribe_fields=INSTAGRAM_FIELDS,
        )
    page = find_page(clients, user_token=token, page_id=page_id, say=say)
    page_token, name = str(page["access_token"]), str(page.get("name") or page["id"])
    try:
        linked = clients.meta().get_object(
            str(page["id"]), access_token=page_token, fields=("instagram_business_account",)
        )
    except PlatformError as exc:
        raise _fix(exc, "läsa sidans Instagramkonto", needs="behörigheten instagram_basic") from exc
    ig = linked.get("instagram_business_account")
    if not isinstance(ig, dict) or not ig.get("id"):
        raise BadRequest(
            f"Sidan {name} har inget Instagramkonto för företag kopplat: koppla det i sidans "
            "inställningar (Länkade konton) och kör kommandot igen."
        )
    say(f"Instagramkontot {ig['id']} är kopplat till sidan {name}.")
    return Found(
        platform="instagram",
        external_id=str(ig["id"]),
        name=f"{name} (Instagram)",
        token=page_token,
        # Facebook Login: the account's own id, with the Page token (needs a live check).
        subscribe_object=str(ig["id"]),
        subscribe_fields=INSTAGRAM_FIELDS,
    )


def find_linkedin(clients: PlatformClients, *, token: str, organization: str, say: Say) -> Found:
    """The organisation, if the token's member is its ADMINISTRATOR and the token has the scopes."""
    settings = clients.settings
    secret = settings.linkedin_client_secret.get_secret_value().split(",")[0].strip()
    if settings.linkedin_client_id and secret:
        try:
            info = clients.linkedin.introspect_token(
                token, client_id=settings.linkedin_client_id, client_secret=secret
            )
        except PlatformError as exc:
            raise _fix(
                exc, "kontrollera token", needs="rätt UPPSIKT_LINKEDIN_CLIENT_ID och klienthemlighet"
            ) from exc
        if info.get("active") is not True:
            raise BadRequest(
                "Token är inte aktiv (återkallad eller utgången): logga in igen och kör kommandot igen."
            )
        lacking = missing_scopes("linkedin", str(info.get("scope") or "").split(","))
        if lacking:
            raise BadRequest(
                f"Token saknar behörigheten {', '.join(lacking)}: lägg till den i appens OAuth-scopes, "
                "logga in igen och kör kommandot igen."
            )
        say(f"Token är aktiv och har behörigheterna Uppsikt behöver ({_day(_when(info.get('expires_at')))}).")
    else:
        say(
            "Tokenkontroll hoppades över: ange UPPSIKT_LINKEDIN_CLIENT_ID för att kontrollera behörigheterna."
        )
    try:
        acls = clients.linkedin.administered_organizations(access_token=token)
    except PlatformError as exc:
        raise _fix(exc, "läsa organisationsrollerna", needs="behörigheten rw_organization_admin") from exc
    mine = [
        a
        for a in acls
        if a.get("organization") == organization
        and a.get("role") == "ADMINISTRATOR"
        and a.get("state") == "APPROVED"
    ]
    if not mine:
        raise BadRequest(
            f"Personen bakom token är inte administratör (ADMINISTRATOR) för {organization}: be en "
            "superadministratör på sidan ge rollen, eller använd en administratörs token."
        )
    person = str(mine[0].get("roleAssignee") or "")
    say(f"Personen bakom token är administratör för {organization}.")
    return Found(
        platform="linkedin", external_id=organization, name=organization, token=token, person_urn=person
    )


# --- store ---------------------------------------------------------------------------------------


def store(
    session: Session,
    *,
    tenant: Tenant,
    found: Found,
    cipher: TokenCipher,
    display_name: str | None,
    owner: str | None,
    editors: Sequence[str],
    actor: str,
    say: Say,
) -> Account:
    """The account with its token (encrypted); an existing account of the tenant gets the new token."""
    account = tenant_repository.account_by_platform_id(session, found.platform, found.external_id)
    if account is not None and account.tenant_id != tenant.id:
        raise BadRequest(
            f"{found.platform} {found.external_id} är redan kopplat till en annan tenant: "
            "ta bort det där först."
        )
    if account is None:
        account = add_account(
            session,
            tenant=tenant,
            platform=found.platform,
            external_id=found.external_id,
            display_name=display_name or found.name,
            owner=owner,
            editors=editors,
            actor=actor,
        )
        say(f"Kontot {account.id} ({account.display_name}) lades till i tenanten {tenant.name}.")
    else:
        say(f"Kontot {account.id} ({account.display_name}) fanns redan i tenanten {tenant.name}; token byts.")
    account.access_token_ciphertext = cipher.encrypt(found.token)
    account.api_base = found.api_base
    account.token_problem, account.platform_alert = None, None
    session.flush()
    record(
        session,
        tenant_id=tenant.id,
        actor=actor,
        action="account.connected",
        subject_type="account",
        subject_id=account.id,
        account_id=account.id,
        payload={"platform": found.platform, "api_base": found.api_base},
    )
    say("Token sparades krypterad.")
    return account


# --- subscribe -----------------------------------------------------------------------------------


def subscribe(clients: PlatformClients, *, found: Found, say: Say) -> None:
    """Make the platform send this account's comments to Uppsikt's webhooks."""
    settings = clients.settings
    if found.platform == "linkedin":
        if not settings.linkedin_app_id:
            raise BadRequest(
                "UPPSIKT_LINKEDIN_APP_ID saknas: ange utvecklarappens id (Developer Portal) och kör igen."
            )
        webhook = f"{settings.public_url.rstrip('/')}/webhooks/linkedin"
        try:
            clients.linkedin.subscribe_organization(
                application_id=settings.linkedin_app_id,
                person_urn=found.person_urn or "",
                organization_urn=found.external_id,
                webhook_url=webhook,
                access_token=found.token,
            )
        except PlatformError as exc:
            raise _fix(
                exc,
                "prenumerera på organisationens kommentarsnotiser",
                needs="behörigheten rw_organization_admin (och appen godkänd för webhooks)",
            ) from exc
        say(f"Organisationens kommentarsnotiser skickas nu till {webhook}.")
        return
    needs = (
        "behörigheten pages_manage_metadata"
        if found.platform == "facebook"
        else "behörigheten instagram_manage_comments (appen måste vara Live med Advanced Access för comments)"
    )
    fields = ",".join(found.subscribe_fields)
    try:
        clients.meta(found.api_base).subscribe_app(
            found.subscribe_object or found.external_id,
            fields=found.subscribe_fields,
            access_token=found.token,
        )
    except PlatformError as exc:
        raise _fix(exc, f"prenumerera kontot på fälten {fields}", needs=needs) from exc
    say(f"Kontot prenumererar nu på {fields}: kommentarer kommer som webhooks.")


# --- token health --------------------------------------------------------------------------------


def check_token(clients: PlatformClients, account: Account, token: str | None) -> TokenHealth:
    """Ask the platform about the account's token: valid, for this account, expiry, permissions."""
    if account.platform == "web":
        return TokenHealth()
    if token is None:
        problem = "missing" if account.access_token_ciphertext is None else "undecryptable"
        return TokenHealth(problem=problem)
    try:
        if account.platform == "linkedin":
            return _check_linkedin(clients, token)
        if account.api_base:
            return _check_instagram_login(clients, account, token)
        return _check_meta(clients, account, token)
    except PlatformPermanentError as exc:
        if exc.code == "token_invalid":
            return TokenHealth(problem="invalid", note=exc.reason)
        return TokenHealth(problem="check_failed", note=exc.reason)
    except PlatformTransientError as exc:
        return TokenHealth(problem="check_failed", note=exc.reason)


def _check_meta(clients: PlatformClients, account: Account, token: str) -> TokenHealth:
    settings = clients.settings
    secret = settings.meta_call_secret
    if not settings.meta_app_id or not secret:
        return TokenHealth(
            problem="check_failed",
            note="Ange UPPSIKT_META_APP_ID (och UPPSIKT_META_APP_SECRETS) så att Meta kan fråga om token.",
        )
    app_token = f"{settings.meta_app_id}|{secret.decode('utf-8')}"
    data = clients.meta().debug_token(token, app_token=app_token)
    if data.get("is_valid") is not True:
        return TokenHealth(problem="invalid", note="Meta säger att token inte är giltig.")
    profile = data.get("profile_id")
    if account.platform == "facebook" and profile is not None and str(profile) != account.external_id:
        return TokenHealth(problem="wrong_account", note=f"Token gäller sidan {profile}.")
    scopes = [str(s) for s in data.get("scopes") or []]
    return TokenHealth(
        expires_at=_when(data.get("expires_at")),
        missing_scopes=missing_scopes(account.platform, scopes),
    )


def _check_instagram_login(clients: PlatformClients, account: Account, token: str) -> TokenHealth:
    """Instagram-Login tokens have no debug endpoint: reading the account proves the token."""
    me = clients.meta(account.api_base).get_object("me", access_token=token, fields=("user_id",))
    found = str(me.get("user_id") or me.get("id"))
    if found != account.external_id:
        return TokenHealth(problem="wrong_account", note=f"Token gäller Instagramkontot {found}.")
    return TokenHealth()


def _check_linkedin(clients: PlatformClients, token: str) -> TokenHealth:
    settings = clients.settings
    secret = settings.linkedin_client_secret.get_secret_value().split(",")[0].strip()
    if not settings.linkedin_client_id or not secret:
        return TokenHealth(
            problem="check_failed",
            note="Ange UPPSIKT_LINKEDIN_CLIENT_ID (och UPPSIKT_LINKEDIN_CLIENT_SECRET) för tokenkontrollen.",
        )
    info = clients.linkedin.introspect_token(
        token, client_id=settings.linkedin_client_id, client_secret=secret
    )
    if info.get("active") is not True:
        return TokenHealth(problem="invalid", note="LinkedIn säger att token inte är aktiv.")
    return TokenHealth(
        expires_at=_when(info.get("expires_at")),
        missing_scopes=missing_scopes("linkedin", str(info.get("scope") or "").split(",")),
    )


def record_health(session: Session, account: Account, health: TokenHealth, *, actor: str) -> None:
    """Keep what the check found on the account, and log it."""
    account.token_checked_at = utcnow()
    account.token_problem = health.problem
    if health.problem != "check_failed":  # a failed check says nothing new about expiry or scopes
        account.token_expires_at = health.expires_at
        account.token_missing_scopes = list(health.missing_scopes)
    record(
        session,
        tenant_id=account.tenant_id,
        actor=actor,
        action="account.token_checked",
        subject_type="account",
        subject_id=account.id,
        account_id=account.id,
        payload={
            "problem": health.problem,
            "expires_at": account.token_expires_at.isoformat() if account.token_expires_at else None,
            "missing_scopes": list(account.token_missing_scopes or []),
        },
    )


def check_accounts(
    session_factory: sessionmaker[UnitOfWork],
    account_ids: Sequence[int],
    *,
    clients: PlatformClients,
    cipher: TokenCipher,
    actor: str,
) -> list[tuple[Account, TokenHealth]]:
    """Check each account's token and keep the result.

    The accounts are read in one short transaction, the platforms asked outside any
    (a slow platform never holds a lock), and the results written in a second one.
    """
    with session_factory() as session:
        accounts = repository.accounts_by_ids(session, account_ids)
        for account in accounts:
            session.expunge(account)
    results = [
        (
            account,
            check_token(
                clients,
                account,
                cipher.decrypt(account.access_token_ciphertext) if account.access_token_ciphertext else None,
            ),
        )
        for account in accounts
    ]
    with session_factory() as session:
        begin_write(session)
        for account, health in results:
            stored = session.get(Account, account.id)
            if stored is not None:
                record_health(session, stored, health, actor=actor)
                account.token_expires_at = stored.token_expires_at
                account.token_missing_scopes = list(stored.token_missing_scopes or [])
                account.token_problem = stored.token_problem
        session.commit()
    return results
