"""The province figures of the completeness and consolidation pages, the home page and the
API are cached (core.versioned): whatever changes a report, a value, the period's list of
offices or an organisation is seen on the next visit, and a country's offices come a page
of districts at a time."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Organisation
from reports import selectors, services
from tests.conftest import org

from .factories import filled_report, period

pytestmark = pytest.mark.django_db


def _rates(client, p) -> tuple:
    response = client.get(reverse("reports:period-completeness", args=[p.pk]))
    total = response.context["data"].total
    return total.expected, total.submitted, total.accepted, total.complete


def test_completeness_page_sees_a_submission_an_acceptance_and_a_change_of_offices(
    client, vanphong, gddt_lac_son, gddt_mai_chau
):
    p = period(2026, "H1", organisations=[org("GDDT-157"), org("GDDT-156")])
    client.force_login(vanphong)
    assert _rates(client, p) == (2, 0, 0, 0)
    assert _rates(client, p) == (2, 0, 0, 0)  # from the cache
    report = filled_report(p, org("GDDT-157"), gddt_lac_son, submit=True)
    assert _rates(client, p) == (2, 1, 0, 1)
    services.report_accept(report=report, by=vanphong)
    assert _rates(client, p) == (2, 1, 1, 1)
    p.required_organisations.add(org("GDDT-155"))
    assert _rates(client, p) == (3, 1, 1, 1)
    # A required value emptied through a save (the entry form, an import) is seen at once.
    value = report.values.get(indicator__code="NR1")
    value.text = ""
    value.save()
    assert _rates(client, p) == (3, 1, 1, 0)


def test_the_home_panel_follows_a_submission(client, vanphong, gddt_lac_son):
    from django.utils import timezone

    today = timezone.localdate()
    p = period(today.year, "H1" if today.month <= 6 else "H2")
    assert selectors.current_period() == p
    client.force_login(vanphong)

    def home_total():
        panel = client.get(reverse("core:home")).content.decode().split('data-testid="reports-panel"', 1)[1]
        return int(re.search(r'<div class="fs-4 fw-semibold">(\d+)/\d+</div>', panel).group(1))

    before = home_total()
    filled_report(p, org("GDDT-157"), gddt_lac_son, submit=True)
    assert home_total() == before + 1


def test_consolidation_page_sees_a_new_submission(client, vanphong, gddt_lac_son, gddt_mai_chau):
    p = period(2026, "H1", organisations=[org("GDDT-157"), org("GDDT-156")])
    filled_report(p, org("GDDT-157"), gddt_lac_son, submit=True)
    client.force_login(vanphong)
    url = reverse("reports:period-consolidation", args=[p.pk])

    def gd08():
        rows = client.get(url).context["rows"]
        return next(r for r in rows if r["indicator"].code == "GD08")["current"]

    assert gd08() == 5200
    assert gd08() == 5200
    filled_report(p, org("GDDT-156"), gddt_mai_chau, submit=True)
    assert gd08() == 10400
    # The figures are those of consolidate(), which is not cached.
    assert selectors.consolidate([p]).totals[(p.pk, "GD08")] == 10400


def test_a_renamed_office_is_shown_by_its_new_name(client, vanphong, gddt_lac_son):
    p = period(2026, "H1", organisations=[org("GDDT-157")])
    client.force_login(vanphong)
    client.get(reverse("reports:period-completeness", args=[p.pk]))
    office = org("GDDT-157")
    office.name = "Phòng Giáo dục huyện Lạc Sơn (mới)"
    office.save()
    page = client.get(reverse("reports:period-completeness", args=[p.pk])).content.decode()
    assert "Phòng Giáo dục huyện Lạc Sơn (mới)" in page


def _many_districts(n: int):
    """`n` synthetic districts, each with one education office required in a period."""
    from directory.models import AdministrativeUnit

    province = AdministrativeUnit.objects.filter(level="province").first()
    offices = []
    for i in range(n):
        unit = AdministrativeUnit.objects.create(
            code=f"9{i:04d}", name=f"Huyện Thử {i:02d}", name_with_type=f"Huyện Thử {i:02d}", level="district",
            parent=province, type_label="Huyện",
        )  # fmt: skip
        offices.append(
            Organisation.objects.create(
                code=f"GDDT-9{i:04d}",
                name=f"Phòng GD&ĐT Thử {i:02d}",
                kind="education_office",
                sector="education",
                district=unit,
            )  # fmt: skip
        )
    return offices


def test_a_country_of_districts_comes_a_page_at_a_time_with_the_totals_of_all(client, vanphong):
    offices = _many_districts(selectors.UNITS_PER_PAGE + 3)
    p = period(2026, "H1", organisations=offices)
    client.force_login(vanphong)
    url = reverse("reports:period-completeness", args=[p.pk])
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    body = response.content.decode()
    assert response.context["data"].total.expected == len(offices)
    assert len(response.context["page"]) == selectors.UNITS_PER_PAGE
    assert len(response.context["rows"]) == selectors.UNITS_PER_PAGE
    assert "Phòng GD&amp;ĐT Thử 00" in body and "Phòng GD&amp;ĐT Thử 14" not in body
    assert "Trang 1/2" in body
    with CaptureQueriesContext(connection) as second:
        response = client.get(url, {"page": 2})
    body = response.content.decode()
    assert "Phòng GD&amp;ĐT Thử 14" in body and "Phòng GD&amp;ĐT Thử 00" not in body
    assert "Trang 2/2" in body
    assert len(second.captured_queries) <= len(first.captured_queries)

    consolidation = client.get(reverse("reports:period-consolidation", args=[p.pk]), {"page": 2})
    assert [d.name for d in consolidation.context["districts"]] == ["Huyện Thử 12", "Huyện Thử 13", "Huyện Thử 14"]
    assert "Trang 2/2" in consolidation.content.decode()

    api = client.get("/api/v1/completeness/", {"period": "2026S1", "page": 2}).json()
    assert (api["page"], api["pages"], api["districts"]) == (2, 2, len(offices))
    assert [r["organisation_code"] for r in api["rows"]] == ["GDDT-90012", "GDDT-90013", "GDDT-90014"]
    assert api["total"]["expected"] == len(offices)


def test_the_sector_names_follow_the_language_of_each_visit(client, vanphong):
    p = period(2026, "H1", organisations=[org("GDDT-157"), org("VHTT-157")])
    client.force_login(vanphong)
    url = reverse("reports:period-completeness", args=[p.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Education and Training" in english
    vietnamese = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Giáo dục và Đào tạo" in vietnamese and "Education and Training" not in vietnamese
