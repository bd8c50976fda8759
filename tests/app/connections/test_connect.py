"""``uppsikt account connect``: from a token on standard input to a stored, subscribed account.

Run against the fake Graph API and the fake LinkedIn API over real HTTP, with the
documented request and response shapes (sources in ``tests/fakes``).  Each step
prints one Swedish line; each failure one ``fel:`` line that says what to fix.
"""

from __future__ import annotations

import pytest

from app.crypto import TokenCipher
from app.settings import Settings
from tests.app.connections.conftest import SECRET_KEY, Cli

USER_TOKEN = "EAAG-user-token-testa-testsson"
PAGE_TOKEN = "EAAG-page-token-testkommun"
OTHER_USER = "EAAG-user-token-someone-else"
PAGE = "104500000000001"
IG = "17841400000000042"
IG_LOGIN_TOKEN = "IGAA-instagram-login-token"
LI_TOKEN = "AQV-member-token-testa"
ORG = "urn:li:organization:2414183"
PERSON = "urn:li:person:Ab12Cd34"
LI_SCOPES = ["r_organization_social_feed", "w_organization_social_feed", "rw_organization_admin"]
USER_SCOPES = [
    "pages_show_list",
    "pages_manage_metadata",
    "pages_read_engagement",
    "pages_manage_engagement",
    "pages_read_user_content",
    "instagram_basic",
    "instagram_manage_comments",
]


def _facebook(cli: Cli, **page: object) -> None:
    cli.graph.add_token(USER_TOKEN, "USER", "5550001", scopes=USER_SCOPES)
    cli.graph.add_page(PAGE, "Testkommun", page_token=PAGE_TOKEN, managers=[USER_TOKEN], **page)  # type: ignore[arg-type]


def _decrypt(ciphertext: bytes | None) -> str | None:
    assert ciphertext is not None
    from pydantic import SecretStr

    return TokenCipher(Settings(secret_key=SecretStr(SECRET_KEY))).decrypt(ciphertext)


def _one_line_failure(result: object) -> str:
    err = result.err  # type: ignore[attr-defined]
    assert result.code == 2, (result.out, err)  # type: ignore[attr-defined]
    [line] = err.strip().splitlines()
    assert line.startswith("fel: ") and "Traceback" not in err
    return str(line)


# --- Facebook -------------------------------------------------------------------------------


def test_facebook_page_is_found_stored_encrypted_subscribed_and_checked(cli: Cli) -> None:
    _facebook(cli)

    result = cli(
        "account", "connect", "--tenant", "kommun", "--platform", "facebook", "--page", PAGE, stdin=USER_TOKEN
    )

    assert result.code == 0, result.err
    assert result.lines == [
        "Token godkänd: den hanterar 1 sida.",
        f"Sidan Testkommun ({PAGE}) hittades och får modereras.",
        "Kontot 1 (Testkommun) lades till i tenanten kommun.",
        "Token sparades krypterad.",
        "Kontot prenumererar nu på feed: kommentarer kommer som webhooks.",
        "Token fungerar och har behörigheterna Uppsikt behöver (går inte ut).",
        "Klart: kontot 1 är kopplat. Kontrollera tokens framöver med `uppsikt account check-tokens`.",
    ]
    [account] = cli.accounts()
    assert (account.platform, account.external_id, account.display_name) == ("facebook", PAGE, "Testkommun")
    assert (
        account.access_token_ciphertext is not None
        and PAGE_TOKEN.encode() not in account.access_token_ciphertext
    )
    assert _decrypt(account.access_token_ciphertext) == PAGE_TOKEN  # the Page token, not the user's
    assert account.token_checked_at is not None and account.token_problem is None
    assert cli.graph.subscriptions == {PAGE: ["feed"]}
    subscribe = next(c for c in cli.graph.calls if c.path.endswith("/subscribed_apps"))
    assert (subscribe.method, subscribe.form["subscribed_fields"]) == ("POST", "feed")
    # Every Graph call carried appsecret_proof (the fake refuses any without it).
    assert all("appsecret_proof" in c.query for c in cli.graph.calls)
    assert USER_TOKEN not in result.out + result.err and PAGE_TOKEN not in result.out + result.err


def test_connecting_again_replaces_the_token_of_the_same_account(cli: Cli) -> None:
    _facebook(cli)
    args = ("account", "connect", "--tenant", "kommun", "--platform", "facebook", "--page", PAGE)
    assert cli(*args, stdin=USER_TOKEN).code == 0
    again = cli(*args, stdin=USER_TOKEN)
    assert again.code == 0, again.err
    assert "Kontot 1 (Testkommun) fanns redan i tenanten kommun; token byts." in again.lines
    assert len(cli.accounts()) == 1


def test_the_token_is_read_from_stdin_never_from_the_command_line(cli: Cli) -> None:
    _facebook(cli)
    with pytest.raises(SystemExit):
        cli("account", "connect", "--tenant", "kommun", "--platform", "facebook", "--token", USER_TOKEN)
    empty = cli("account", "connect", "--tenant", "kommun", "--platform", "facebook", stdin="")
    assert "standard in" in _one_line_failure(empty)
    assert cli.graph.calls == []


def test_a_page_the_person_does_not_administer_is_refused(cli: Cli) -> None:
    _facebook(cli)
    cli.graph.add_token(OTHER_USER, "USER", "5550002", scopes=USER_SCOPES)
    result = cli(
        "account", "connect", "--tenant", "kommun", "--platform", "facebook", "--page", PAGE, stdin=OTHER_USER
    )
    line = _one_line_failure(result)
    assert f"inte administratör för sidan {PAGE}" in line
    assert result.lines == ["Token godkänd: den hanterar 0 sidor."]
    assert cli.accounts() == [] and cli.graph.subscriptions == {}


def test_a_person_without_the_moderate_task_is_told_so(cli: Cli) -> None:
    _facebook(cli, tasks=("ANALYZE", "ADVERTISE"))
    result = cli("account", "connect", "--tenant", "kommun", "--platform", "facebook", stdin=USER_TOKEN)
    assert "uppgiften MODERATE saknas" in _one_line_failure(result)
    assert cli.accounts() == []


def test_a_missing_permission_to_subscribe_names_the_permission(cli: Cli) -> None:
    _facebook(cli, scopes=("pages_show_list", "pages_read_engagement"))
    result = cli("account", "connect", "--tenant", "kommun", "--platform", "facebook", stdin=USER_TOKEN)
    line = _one_line_failure(result)
    assert "pages_manage_metadata" in line and "kör kommandot igen" in line
    assert cli.graph.subscriptions == {}


def test_an_expired_user_token_is_told_to_be_renewed(cli: Cli) -> None:
    _facebook(cli)
    cli.graph.token(USER_TOKEN).valid = False
    result = cli("account", "connect", "--tenant", "kommun", "--platform", "facebook", stdin=USER_TOKEN)
    assert "Token är ogiltig eller har gått ut" in _one_line_failure(result)


def test_without_the_app_secret_meta_refuses_and_the_line_says_which_setting(cli: Cli) -> None:
    _facebook(cli)
    cli.graph.require_appsecret_proof = "another-apps-secret"
    result = cli("account", "connect", "--tenant", "kommun", "--platform", "facebook", stdin=USER_TOKEN)
    assert "UPPSIKT_META_APP_SECRETS" in _one_line_failure(result)


# --- Instagram ------------------------------------------------------------------------------


def test_instagram_linked_to_a_page_is_subscribed_to_comments_and_live_comments(cli: Cli) -> None:
    _facebook(cli, instagram_id=IG, scopes=tuple(USER_SCOPES))
    result = cli(
        "account",
        "connect",
        "--tenant",
        "kommun",
        "--platform",
        "instagram",
        "--page",
        PAGE,
        stdin=USER_TOKEN,
    )
    assert result.code == 0, result.err
    assert f"Instagramkontot {IG} är kopplat till sidan Testkommun." in result.lines
    [account] = cli.accounts()
    assert (account.platform, account.external_id, account.api_base) == ("instagram", IG, None)
    assert _decrypt(account.access_token_ciphertext) == PAGE_TOKEN
    assert cli.graph.subscriptions == {IG: ["comments", "live_comments"]}


def test_a_page_without_an_instagram_account_is_told_how_to_link_one(cli: Cli) -> None:
    _facebook(cli)
    result = cli("account", "connect", "--tenant", "kommun", "--platform", "instagram", stdin=USER_TOKEN)
    assert "har inget Instagramkonto för företag kopplat" in _one_line_failure(result)


def test_instagram_login_uses_its_own_graph_host_for_the_account(cli: Cli) -> None:
    cli.instagram.add_instagram_login(
        IG,
        "testkommun",
        token=IG_LOGIN_TOKEN,
        scopes=["instagram_business_basic", "instagram_business_manage_comments"],
    )
    result = cli(
        "account",
        "connect",
        "--tenant",
        "kommun",
        "--platform",
        "instagram",
        "--instagram-login",
        stdin=IG_LOGIN_TOKEN,
    )
    assert result.code == 0, result.err
    [account] = cli.accounts()
    assert account.api_base == cli.env["UPPSIKT_INSTAGRAM_GRAPH_URL"]
    assert cli.instagram.subscriptions == {IG: ["comments", "live_comments"]}
    assert cli.graph.calls == []  # nothing went to graph.facebook.com

    checked = cli("account", "check-tokens", "--tenant", "kommun")
    assert checked.code == 0, checked.out
    assert cli.graph.calls == []  # the check, too, asked the account's own host
    assert cli.instagram.calls[-1].path == "/v25.0/me"


# --- LinkedIn -------------------------------------------------------------------------------


def _linkedin(cli: Cli, *, role: str = "ADMINISTRATOR", scopes: list[str] = LI_SCOPES) -> None:
    cli.linkedin.add_member_token(LI_TOKEN, person_urn=PERSON, scopes=scopes)
    cli.linkedin.roles[(PERSON, ORG)] = role


def test_linkedin_organization_is_checked_stored_and_subscribed(cli: Cli) -> None:
    _linkedin(cli)
    result = cli(
        "account",
        "connect",
        "--tenant",
        "kommun",
        "--platform",
        "linkedin",
        "--organization",
        ORG,
        stdin=LI_TOKEN,
    )
    assert result.code == 0, result.err
    assert result.lines[:3] == [
        "Token är aktiv och har behörigheterna Uppsikt behöver (går ut 2030-03-17).",
        f"Personen bakom token är administratör för {ORG}.",
        f"Kontot 1 ({ORG}) lades till i tenanten kommun.",
    ]
    assert cli.linkedin.subscriptions == {(ORG, PERSON): "https://uppsikt.kommun.example/webhooks/linkedin"}
    [account] = cli.accounts()
    assert _decrypt(account.access_token_ciphertext) == LI_TOKEN


def test_linkedin_member_who_is_not_an_administrator_is_refused(cli: Cli) -> None:
    _linkedin(cli, role="ANALYST")
    result = cli(
        "account",
        "connect",
        "--tenant",
        "kommun",
        "--platform",
        "linkedin",
        "--organization",
        ORG,
        stdin=LI_TOKEN,
    )
    assert f"inte administratör (ADMINISTRATOR) för {ORG}" in _one_line_failure(result)
    assert cli.accounts() == [] and cli.linkedin.subscriptions == {}


def test_linkedin_missing_scope_is_named(cli: Cli) -> None:
    _linkedin(cli, scopes=["r_organization_social", "rw_organization_admin"])
    result = cli(
        "account",
        "connect",
        "--tenant",
        "kommun",
        "--platform",
        "linkedin",
        "--organization",
        ORG,
        stdin=LI_TOKEN,
    )
    line = _one_line_failure(result)
    assert "saknar behörigheten w_organization_social_feed" in line
    assert "r_organization_social_feed" not in line  # the older name grants it
