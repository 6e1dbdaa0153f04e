"""A page of an API list is kept until the data changes: the next call after any write sees
it, each caller gets their own rows, and the next/previous links name the caller's host."""

import pytest

from directory.models import Organisation
from reports import services
from tests.conftest import org

from ..reports.factories import filled_report, period

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def test_a_list_shows_a_rename_made_without_signals_on_the_next_call(api, thuvien):
    client = api(thuvien)
    first = client.get("/api/v1/organisations/", {"q": "TVT"})
    assert first.status_code == 200
    Organisation.objects.filter(code="TVT").update(name="Thư viện tỉnh Hòa Bình (đổi tên)")
    assert "Thư viện tỉnh Hòa Bình (đổi tên)" in names(client.get("/api/v1/organisations/", {"q": "TVT"}))


def test_each_caller_gets_their_own_rows(api, thuvien, gddt_lac_son, gddt_mai_chau):
    p = period(2026, "H1", organisations=[org("GDDT-157"), org("GDDT-156")])
    filled_report(p, org("GDDT-157"), gddt_lac_son)
    filled_report(p, org("GDDT-156"), gddt_mai_chau)
    province = api(thuvien).get("/api/v1/reports/").json()
    assert province["count"] >= 2
    own = api(gddt_lac_son).get("/api/v1/reports/").json()
    assert {row["organisation_code"] for row in own["results"]} == {"GDDT-157"}


def test_a_submission_shows_in_the_completeness_answer_on_the_next_call(api, vanphong, gddt_lac_son):
    p = period(2026, "H1", organisations=[org("GDDT-157"), org("GDDT-156")])
    report = filled_report(p, org("GDDT-157"), gddt_lac_son)
    client = api(vanphong)
    assert client.get("/api/v1/completeness/", {"period": p.pk}).json()["total"]["submitted"] == 0
    services.report_submit(report=report, by=gddt_lac_son)
    assert client.get("/api/v1/completeness/", {"period": p.pk}).json()["total"]["submitted"] == 1


def test_the_next_link_names_the_host_the_caller_used(api, thuvien):
    client = api(thuvien)
    one = client.get("/api/v1/organisations/", {"page_size": 1}, HTTP_HOST="127.0.0.1").json()
    other = client.get("/api/v1/organisations/", {"page_size": 1}, HTTP_HOST="localhost").json()
    assert one["next"].startswith("http://127.0.0.1/") and other["next"].startswith("http://localhost/")
