"""The committed OpenAPI schema is the one the code generates, and the docs page works with
the portal's Content-Security-Policy, from the portal's own files."""

import re
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "api" / "schema.yml"


def test_the_committed_schema_matches_the_code(tmp_path):
    generated = tmp_path / "schema.yml"
    call_command("spectacular", "--lang", "vi", "--file", str(generated), "--validate", "--fail-on-warn")
    assert generated.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "api/schema.yml is out of date: run `make schema` and commit the result"
    )


def test_the_schema_documents_every_resource_of_the_issue():
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    paths = set(schema["paths"])
    for resource in (
        "units", "organisations", "programmes", "commitments", "plans", "activities", "periods",
        "indicators", "reports", "completeness", "consolidation", "data-values", "courses",
        "sessions", "nominations", "collections", "items", "rotations", "notifications",
    ):  # fmt: skip
        assert f"/api/v1/{resource}/" in paths, resource
    assert "/api/v1/certificates/{code}/" in paths
    post = schema["paths"]["/api/v1/data-values/"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "text/csv"}
    assert {p["name"] for p in post["parameters"]} == {"dryRun", "atomic"}
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_schema_is_served_and_translated(client):
    vi = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    en = client.get("/api/schema/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert vi.status_code == en.status_code == 200
    assert "mã đơn vị chủ trì" in vi.content.decode()
    assert "mã đơn vị chủ trì" not in en.content.decode()


@pytest.mark.django_db
def test_docs_page_loads_only_local_assets_under_the_sites_csp(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    assert not re.search(r"<script>(?!\s*</script>)", html), "inline script would be blocked by the CSP"
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/").split("?")[0]), src
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert "/api/schema/" in script.content.decode()
