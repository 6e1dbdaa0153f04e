"""The permission matrix: every URL pattern of the portal, as every role, by GET and by POST,
compared with the declared table in `tests/core/permission_table.py`.

District A's people (Lạc Sơn) ask for district B's objects (Mai Châu). A pattern with no row
in the table fails the test: a new route (the REST API's included) needs its row. Each POST
runs in a savepoint that is rolled back, so one request never changes what the next sees.
`MATRIX_OBSERVE=1` prints the observed rows in the table's own syntax, to write new ones.
"""

import fnmatch
import os

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix_data import ROLES, build_objects, build_users
from .permission_table import ADMIN_ROWS, TABLE

LOGIN_PREFIXES = ("/accounts/login/", "/admin/login/")


def url_patterns(resolver=None, namespace=None):
    """(name, pattern) of every URL pattern, names with their namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), pattern


def row_for(name):
    if name in TABLE:
        return TABLE[name]
    for glob, row in ADMIN_ROWS.items():
        if fnmatch.fnmatchcase(name, glob):
            return row
    return None


def outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        return (
            "L"
            if response["Location"].split("?")[0].endswith(LOGIN_PREFIXES)
            or any(p in response["Location"] for p in LOGIN_PREFIXES)
            else "o"
        )
    if code < 400 or code in (400, 409, 413, 422):
        return "o"  # answered: the page, a download, a redirect, or a form's own refusal
    return {401: "A", 403: "3", 404: "4", 405: "5", 429: "R"}.get(code, "!")  # "!" (a 500) is never declared


def kwargs_for(pattern, obj_spec, objects):
    """The URL's arguments: the pk of the named object; a callable's own; for the admin's
    generated patterns, the first app and a non-existent object."""
    keys = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
    if not keys or obj_spec is None:
        return {}
    if callable(obj_spec):
        return obj_spec(objects)
    if obj_spec == "admin":
        values = {"app_label": "directory", "object_id": "0", "id": "0", "content_type_id": "1"}
        return {key: values.get(key, "0") for key in keys}
    return {keys[0]: objects[obj_spec].pk}


@pytest.mark.django_db
def test_every_url_answers_every_role_as_declared(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_ENABLE = False
    # The throttles have tests of their own; here every request must reach its access check.
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates, "100000/minute"),
    }
    users = build_users()
    objects = build_objects(users)
    clients, sessions = {}, {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if users[role] is not None:
            client.force_login(users[role])
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        clients[role] = client

    missing, mismatches, requests = [], [], 0
    observed_rows = []
    for name, pattern in url_patterns():
        row = row_for(name)
        if row is None:
            missing.append(name)
            continue
        obj_spec, expected_get, expected_post = row
        if set(expected_get + expected_post) <= {"-", " "}:
            continue  # declared as not requested (see the table for why)
        try:
            positional = pattern.pattern.regex.groups and not pattern.pattern.regex.groupindex
            if positional:  # a re_path with unnamed groups (simple-history's admin pages)
                url = reverse(name, args=["0"] * pattern.pattern.regex.groups)
            else:
                url = reverse(name, kwargs=kwargs_for(pattern, obj_spec, objects))
        except Exception as exc:  # a row naming an object the pattern cannot take
            mismatches.append(f"{name}: cannot build the URL ({exc})")
            continue
        seen = {"GET": [], "POST": []}
        for method, expected in (("GET", expected_get), ("POST", expected_post)):
            for role, want in zip(ROLES, expected.replace(" ", ""), strict=True):
                if want == "-":
                    seen[method].append("-")
                    continue
                client = clients[role]
                with transaction.atomic():
                    response = getattr(client, method.lower())(url)
                    transaction.set_rollback(True)
                # The rollback restored the session row; give the client its cookie back too
                # (a POST to logout or login replaced it).
                client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
                if role in sessions:
                    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
                requests += 1
                got = outcome(response)
                seen[method].append(got)
                if got != want:
                    mismatches.append(f"{method} {url} ({name}) as {role}: expected {want}, got {got}")
        observed_rows.append((name, obj_spec, "".join(seen["GET"]), "".join(seen["POST"])))

    n_patterns = len(list(url_patterns()))
    with capsys.disabled():
        print(f"\npermission matrix: {n_patterns} URL patterns x {len(ROLES)} roles x GET/POST = {requests} requests")
        if os.environ.get("MATRIX_OBSERVE"):
            for name, obj_spec, got_get, got_post in observed_rows:
                spec = obj_spec if isinstance(obj_spec, str) or obj_spec is None else "..."
                print(f'    "{name}": ({spec!r}, "{got_get}", "{got_post}"),')
    assert not missing, "URL patterns with no row in the permission table: " + ", ".join(missing)
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches[:80])
