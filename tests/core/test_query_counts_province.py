"""The province-wide pages (completeness, consolidation, the programme's coverage and plan
detail, the completeness API, the inbox) run the same number of queries for 12 and 40
districts, and show the country a page of districts at a time (the province on one page)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import AnnualPlan, LocalPlan
from reports import selectors as report_selectors
from tests.core.test_query_counts import at_two_sizes
from tests.programs.factories import PlanFactory

pytestmark = pytest.mark.django_db


def _period():
    from tests.reports.factories import period

    today = timezone.localdate()
    return period(today.year, "H1" if today.month <= 6 else "H2")


def test_completeness_runs_the_same_queries_for_12_and_40_districts(client, thuvien):
    p = _period()
    small, large, response = at_two_sizes(client, thuvien, reverse("reports:period-completeness", args=[p.pk]))
    assert small == large
    summary = response.context["data"]
    assert summary.total.expected == p.required_organisations.count()
    assert len(summary.by_district) >= 39
    assert len(response.context["page"]) == report_selectors.UNITS_PER_PAGE
    assert f"Trang 1/{response.context['page'].paginator.num_pages}" in response.content.decode()


def test_consolidation_runs_the_same_queries_for_12_and_40_districts(client, thuvien):
    p = _period()
    small, large, response = at_two_sizes(client, thuvien, reverse("reports:period-consolidation", args=[p.pk]))
    assert small == large
    assert len(response.context["districts"]) == report_selectors.UNITS_PER_PAGE
    full = report_selectors.consolidate([p])
    rows = {r["indicator"].code: r["current"] for r in response.context["rows"]}
    assert rows == {i.code: full.totals.get((p.pk, i.code)) for i in full.indicators}


def test_completeness_api_runs_the_same_queries_for_12_and_40_districts(client, thuvien):
    p = _period()
    small, large, response = at_two_sizes(client, thuvien, f"/api/v1/completeness/?period={p.pk}")
    assert small == large
    body = response.json()
    assert body["districts"] >= 39 and len(body["by_district"]) == report_selectors.UNITS_PER_PAGE


def test_inbox_runs_the_same_queries_for_12_and_40_districts(client, thuvien):
    small, large, _response = at_two_sizes(client, thuvien, reverse("notifications:inbox"))
    assert small == large


@pytest.fixture
def plan_with_local_plans(thuvien, monkeypatch):
    """An annual plan in force whose every education office (of the grown country too) has
    sent its local plan."""
    from directory.models import Organisation
    from tests.core import test_query_counts

    plan = PlanFactory(created_by=thuvien, status=AnnualPlan.Status.IN_FORCE, year=timezone.localdate().year)
    grow = test_query_counts.grow

    def grow_with_plans(n):
        grow(n)
        offices = Organisation.objects.filter(kind="education_office").exclude(local_plans__plan=plan)
        LocalPlan.objects.bulk_create(
            [LocalPlan(plan=plan, organisation=o, title=f"Kế hoạch {o.code}", created_by=thuvien) for o in offices]
        )

    monkeypatch.setattr(test_query_counts, "grow", grow_with_plans)
    return plan


def test_plan_detail_runs_the_same_queries_for_12_and_40_districts(client, giamdoc_vhttdl, plan_with_local_plans):
    plan = plan_with_local_plans
    url = reverse("programs:plan-detail", args=[plan.pk])
    small, large, response = at_two_sizes(client, giamdoc_vhttdl, url)
    assert small == large
    body = response.content.decode()
    assert len(re.findall(r'href="/programs/local-plans/\d+/"', body)) == 36
    assert LocalPlan.objects.filter(plan=plan).count() > 36 and "Trang 1/2" in body


def test_coverage_runs_the_same_queries_for_12_and_40_districts(client, giamdoc_vhttdl, plan_with_local_plans):
    from programs import selectors

    url = reverse("programs:coverage") + f"?year={plan_with_local_plans.year}"
    small, large, response = at_two_sizes(client, giamdoc_vhttdl, url)
    assert small == large
    body = response.content.decode()
    assert response.context["coverage"].plan is not None
    coverage = selectors.local_plan_coverage(response.context["coverage"].plan)
    assert len(coverage) >= 39
    assert sum(len(d.cells) for d in coverage[:12]) == body.count("data-office=")
    assert f"Trang 1/{-(-len(coverage) // 12)}" in body
