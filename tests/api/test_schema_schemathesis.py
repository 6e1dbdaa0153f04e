"""schemathesis (property-based, from the published schema) against the live server, with a
district officer's token and with a focal officer's: no server error, and every response
conforms to the schema. Bounded: a few examples per operation, one worker, a fixed seed."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api.models import ApiToken
from api.services import token_create
from directory.models import Organisation, User
from tests.factories import UserFactory
from tests.reports.factories import filled_report, open_period

ST = Path(sys.executable).with_name("st")


@pytest.fixture
def live_data(reference_data, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "token": "100000/minute",
            "address": "100000/minute",
            "certificate": "100000/minute",
        },
    }
    period = open_period(2026, "H1")
    officer = UserFactory(username="gddt.lac-son", organisation=Organisation.objects.get(code="GDDT-157"))
    filled_report(period, officer.organisation, officer)
    focal = UserFactory(
        username="thuvien", role=User.Role.FOCAL_OFFICER, organisation=Organisation.objects.get(code="TVT")
    )
    return {"district officer": officer, "focal officer": focal}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["district officer", "focal officer"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, live_data, who, tmp_path):
    if not ST.exists() and not shutil.which("st"):
        pytest.fail("schemathesis is not installed (it is in requirements.txt)")
    user = live_data[who]
    token, raw = token_create(user=user, name="schemathesis", by=user)
    command = [
        str(ST if ST.exists() else shutil.which("st")),
        "run",
        f"{live_server.url}/api/schema/",
        "--header",
        f"Authorization: Bearer {raw}",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--phases",
        "examples,fuzzing",
        "--max-examples",
        "4",
        "--workers",
        "1",
        "--seed",
        "20260101",
        "--no-shrink",
        "--generation-database",
        "none",
        "--request-timeout",
        "20",
        # The token would revoke itself. Creating one is refused (403) without the browser
        # session, so that operation is still run, like the token list and detail.
        "--exclude-path-regex",
        r"^/api/v1/tokens/\{id\}/revoke/$",
        "--no-color",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=tmp_path)
    output = result.stdout + result.stderr
    print(output[-2500:])
    assert result.returncode == 0, output[-6000:]
    assert "No issues found" in output or " passed" in output, output[-3000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", output)
    assert selected and int(selected[1]) == int(selected[2]) - 1, output[-3000:]  # all but the revoke
    # The run was made as this user, not answered 401 throughout: the token was accepted and
    # is still valid.
    token = ApiToken.objects.get(pk=token.pk)
    assert token.last_used_at is not None and token.is_active
