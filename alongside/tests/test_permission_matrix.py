"""Who may open what: every URL pattern, for every persona.

Default deny: a view of ours (module `alongside.*`) without an access rule from
`alongside.lib.access` fails here, naming its URL. Views of django-allauth, the admin and Django
itself are covered by the explicit tables below; a third-party URL that is in neither table fails
too, so that upgrading a library cannot slip a page in unnoticed.

The matrix is built from the rules, not from a list of pages: a new view is checked as soon as it
is in the URL map. Sample URL arguments name objects of the Northern California group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from alongside.lib.access import AccessRule, rule_of
from alongside.movement.models import GroupKind, Membership, PartnerContact
from alongside.tests.urlmap import GROUP_SLUG, TEAM_SLUG, Endpoint, endpoints, path_for
from conftest import World, enable_totp, make_user, sign_in

PERSONAS = [
    "anonymous",
    "applicant",
    "volunteer",
    "partner",
    "core",
    "coordinator",
    "documenter",
    "outsider",
]
LOGIN_PATHS = ("/accounts/login/",)


@dataclass(frozen=True)
class Expect:
    """The rule a third-party view follows, and where its answers differ from the plain rule.
    `signed_in` gives the statuses a signed-in persona may get instead of the rule's default."""

    kind: str  # public, flow, signed_in, staff
    anonymous: frozenset[int] = field(default_factory=frozenset)
    signed_in: frozenset[int] = field(default_factory=frozenset)


def expect(
    kind: str, *, anonymous: set[int] | None = None, signed_in: set[int] | None = None
) -> Expect:
    return Expect(kind, frozenset(anonymous or ()), frozenset(signed_in or ()))


# django-allauth's pages, by URL name. "flow" pages are steps of a sign-in in progress: without
# one they send the visitor back to the sign-in page.
THIRD_PARTY: dict[str, Expect] = {
    "set_language": expect("public", anonymous={302}, signed_in={302}),
    "account_login": expect("public", signed_in={302}),
    "account_signup": expect("public", signed_in={302}),
    "account_logout": expect("public", anonymous={302}),
    "account_inactive": expect("public"),
    "account_reset_password": expect("public"),
    "account_reset_password_done": expect("public"),
    "account_reset_password_from_key": expect("public"),
    "account_reset_password_from_key_done": expect("public"),
    "account_email_verification_sent": expect("public"),
    "account_confirm_email": expect("public"),
    "account_confirm_login_code": expect("flow"),
    "mfa_authenticate": expect("flow"),
    "mfa_login_webauthn": expect("flow", anonymous={302, 405}, signed_in={302, 405}),
    "account_reauthenticate": expect("signed_in"),
    "account_email": expect("signed_in"),
    "account_change_password": expect("signed_in"),
    "account_set_password": expect("signed_in", signed_in={302}),
    "mfa_index": expect("signed_in"),
    "mfa_reauthenticate": expect("signed_in"),
    "mfa_activate_totp": expect("signed_in"),
    "mfa_deactivate_totp": expect("signed_in"),
    "mfa_view_recovery_codes": expect("signed_in"),
    "mfa_generate_recovery_codes": expect("signed_in"),
    "mfa_download_recovery_codes": expect("signed_in"),
    "mfa_list_webauthn": expect("signed_in"),
    "mfa_add_webauthn": expect("signed_in"),
    "mfa_reauthenticate_webauthn": expect("signed_in"),
    "mfa_remove_webauthn": expect("signed_in"),
    "mfa_edit_webauthn": expect("signed_in"),
    "usersessions_list": expect("signed_in"),
}
# The admin, by route prefix: staff with a second factor used in the session, nobody else.
STAFF_PREFIXES = ("en/admin/",)


def declared(endpoint: Endpoint) -> AccessRule | Expect | None:
    if endpoint.route.startswith(STAFF_PREFIXES):
        return Expect("staff")
    rule = rule_of(endpoint.callback)
    if endpoint.module.startswith("alongside."):
        return rule
    if endpoint.name in THIRD_PARTY:
        return THIRD_PARTY[endpoint.name]
    return None


# --- every URL has a rule ------------------------------------------------------------------


def test_the_url_map_is_walked_whole() -> None:
    routes = [endpoint.route for endpoint in endpoints()]
    # Each part of the map must be found, or the checks below would pass by seeing nothing.
    for expected in ("healthz", "en/", "en/accounts/login/", "en/admin/", "en/manage/"):
        assert any(route.startswith(expected) for route in routes), expected
    assert len(routes) > 50


def test_every_url_has_an_access_rule() -> None:
    missing = [endpoint.label for endpoint in endpoints() if declared(endpoint) is None]
    assert not missing, "new URL without an access rule:\n" + "\n".join(missing)


def test_third_party_table_names_only_urls_that_exist() -> None:
    names = {endpoint.name for endpoint in endpoints()}
    stale = sorted(set(THIRD_PARTY) - names)
    assert not stale, f"the table names URLs that are gone: {stale}"


def test_our_management_screens_all_need_a_group_role() -> None:
    manage = [e for e in endpoints() if e.route.startswith("en/manage/")]
    assert manage
    for endpoint in manage:
        rule = declared(endpoint)
        assert isinstance(rule, AccessRule) and rule.kind == "group_role", endpoint.label
        assert "group_slug" in endpoint.kwargs, endpoint.label


# --- every persona, every URL ---------------------------------------------------------------


def _to_login(response: Any) -> bool:
    return response.status_code == 302 and any(p in response["Location"] for p in LOGIN_PATHS)


def _holds(world: World, persona: str, rule: AccessRule) -> bool:
    if persona == "anonymous":
        return False
    user = world.persona(persona)
    if rule.kind == "partner":
        return PartnerContact.objects.filter(user=user, community__is_active=True).exists()
    if rule.kind == "field_coordinator":
        return Membership.objects.filter(
            user=user, group__slug=TEAM_SLUG, group__kind=GroupKind.FIELD, role__in=rule.roles
        ).exists()
    return Membership.objects.filter(
        user=user, group__slug=GROUP_SLUG, role__in=rule.roles
    ).exists()


def _problem(world: World, persona: str, rule: AccessRule | Expect, response: Any) -> str | None:
    """What is wrong with this answer, or None."""
    status = response.status_code
    anonymous = persona == "anonymous"
    if status >= 500:
        return f"server error {status}"
    location = response.get("Location", "")
    if isinstance(rule, AccessRule):
        if rule.kind == "public":
            if status == 200 or (status in {302, 405} and not _to_login(response)):
                return None
            return f"public page answered {status} {location}"
        if anonymous:
            return None if _to_login(response) else f"expected a redirect to sign in, got {status}"
        # A GET on an endpoint that only takes POST may refuse the method or redirect.
        allowed = status == 200 or (status in {302, 405} and not _to_login(response))
        if rule.kind == "signed_in":
            # A person's own record that they do not have (a report-back page before their
            # return, say) answers 404, as anything of someone else's would.
            ok = allowed or status == 404
            return None if ok else f"a signed-in person got {status} {location}"
        if rule.kind in {"group_role", "group_member", "partner", "field_coordinator"}:
            if _holds(world, persona, rule):
                return None if allowed else f"role holder got {status} {location}"
            return None if status == 404 else f"expected 404 for a non-member, got {status}"
        return f"a rule this test does not know: {rule}"
    allowed = rule.anonymous if anonymous else rule.signed_in
    if status in allowed:
        return None
    if rule.kind == "public":
        return None if status == 200 else f"expected 200, got {status} {location}"
    if rule.kind == "flow":
        return None if status == 302 else f"expected a redirect, got {status}"
    if rule.kind == "signed_in":
        if anonymous:
            return None if _to_login(response) else f"expected a redirect to sign in, got {status}"
        return None if status in {200, 302, 404} else f"got {status}"
    if rule.kind == "staff":
        # Nobody among the personas is staff: the admin sends them to sign in, or is not there.
        to_admin = location.startswith("/en/admin/") or "login" in location
        if status in {404, 405} or (status == 302 and to_admin):
            return None
        return f"the admin answered {status} {location} to a non-staff person"
    return f"a rule this test does not know: {rule}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_its_rule_says(
    world: World, samples: dict[str, Any], persona: str
) -> None:
    client = Client()
    if persona != "anonymous":
        sign_in(client, world.persona(persona))
    problems = []
    checked = 0
    for endpoint in endpoints():
        rule = declared(endpoint)
        if rule is None or endpoint.name is None:
            continue  # unnamed: the admin's redirects; the rule check above covers them
        path = path_for(endpoint, samples)
        response = client.get(path)
        checked += 1
        problem = _problem(world, persona, rule, response)
        if problem:
            problems.append(f"{path} [{endpoint.name}]: {problem}")
    assert checked > 50
    assert not problems, f"{persona}:\n" + "\n".join(problems)


def test_the_core_member_reaches_every_management_screen_of_the_group(
    world: World, samples: dict[str, Any]
) -> None:
    client = sign_in(Client(), world.core)
    screens = [e for e in endpoints() if e.route.startswith("en/manage/") and e.name]
    statuses = {e.name: client.get(path_for(e, samples)).status_code for e in screens}
    assert statuses.get("movement:dashboard") == 200
    assert all(status in {200, 302, 405} for status in statuses.values()), statuses


def test_a_core_member_without_second_factor_in_the_session_is_sent_to_use_it(
    world: World, samples: dict[str, Any]
) -> None:
    client = sign_in(Client(), world.core, second_factor=False)
    response = client.get(f"/en/manage/{GROUP_SLUG}/")
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]


def test_staff_reach_the_admin_only_after_using_a_second_factor(db: Any) -> None:
    staff = make_user("staff@example.org", "Sasha Staff")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    enable_totp(staff)
    without = sign_in(Client(), staff, second_factor=False).get("/en/admin/")
    assert without.status_code == 302
    assert sign_in(Client(), staff).get("/en/admin/").status_code == 200
