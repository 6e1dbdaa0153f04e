import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import ActivityProgress, AnnualPlan, PlanActivity
from programs.selectors import coverage
from programs.services import programme_renew
from tests.conftest import org

from .factories import PlanFactory, programme_2019
from .test_programme import DOCUMENT_CODES

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewal():
    year = timezone.localdate().year
    return programme_renew(
        source=programme_2019(), title="Gia hạn", signed_on=timezone.localdate(), valid_from=year, valid_to=year
    )


def _fill(plan, n, author):
    """n activities, each serving two commitments, each with two progress updates."""
    commitments = list(plan.programme.commitments.filter(code__startswith="IV").order_by("position"))
    year = plan.year
    for i in range(n):
        activity = PlanActivity.objects.create(
            plan=plan,
            position=i,
            title=f"Hoạt động {i}",
            lead_unit=org("TVT"),
            start_date=timezone.datetime(year, 1, 1).date(),
            end_date=timezone.datetime(year, 12, 1).date(),
        )
        activity.commitments.set(commitments[i % 6 : i % 6 + 2])
        for day, percent in ((1, 20), (2, 40 + i % 50)):
            ActivityProgress.objects.create(
                activity=activity,
                reported_on=timezone.datetime(year, 3, day).date(),
                percent=percent,
                narrative="Tiến độ",
                author=author,
            )


def test_coverage_lists_every_code_once_and_highlights_the_uncovered(renewal, thuvien, client):
    plan = PlanFactory(programme=renewal, created_by=thuvien, status=AnnualPlan.Status.IN_FORCE)
    _fill(plan, 3, thuvien)
    data = coverage()
    assert [r.commitment.code for r in data.rows] == DOCUMENT_CODES
    covered = {r.commitment.code for r in data.rows if r.covered}
    assert covered == {"IV.1.a", "IV.1.b", "IV.1.c", "IV.1.d"}
    latest = data.rows[DOCUMENT_CODES.index("IV.1.a")].activities[0]
    assert latest.latest_percent == 40, "the latest update counts"

    client.force_login(thuvien)
    html = client.get(reverse("programs:coverage")).content.decode()
    for code in DOCUMENT_CODES:
        assert html.count(f'data-code="{code}"') == 1
    assert 'id="cov-VII" class="table-danger"' in html
    assert 'id="cov-IV.1.a" class=""' in html


@pytest.mark.parametrize("n", [2, 40])
def test_coverage_view_query_count_does_not_grow_with_activities(
    n, renewal, giamdoc_vhttdl, thuvien, client, django_assert_max_num_queries
):
    plan = PlanFactory(programme=renewal, created_by=thuvien, status=AnnualPlan.Status.IN_FORCE)
    _fill(plan, n, thuvien)
    client.force_login(giamdoc_vhttdl)
    with django_assert_max_num_queries(16):  # + the local plans table: offices, local plans
        response = client.get(reverse("programs:coverage"))
    assert response.status_code == 200
    assert response.content.decode().count("/programs/activities/") >= n


def test_coverage_of_a_year_without_programme_says_so(giamdoc_vhttdl, client):
    client.force_login(giamdoc_vhttdl)
    response = client.get(reverse("programs:coverage"), {"year": "1990"})
    assert "Không có chương trình phối hợp nào" in response.content.decode()


def test_coverage_bad_year_falls_back_with_message(giamdoc_vhttdl, client, renewal):
    client.force_login(giamdoc_vhttdl)
    response = client.get(reverse("programs:coverage"), {"year": "abc"}, follow=True)
    assert "Năm không hợp lệ" in response.content.decode()


def test_the_cached_coverage_follows_a_progress_update_and_a_new_activity(renewal, thuvien, client):
    """coverage() is cached (core.versioned "programs"): what changes it is seen at once."""
    from programs.services import progress_add

    plan = PlanFactory(programme=renewal, created_by=thuvien, status=AnnualPlan.Status.IN_FORCE)
    _fill(plan, 1, thuvien)
    row = next(r for r in coverage().rows if r.activities)
    assert row.activities[0].latest_percent == 40
    progress_add(
        activity=row.activities[0], narrative="Xong", reported_on=timezone.localdate(), percent=100, by=thuvien
    )
    assert next(r for r in coverage().rows if r.activities).activities[0].latest_percent == 100
    before = sum(r.covered for r in coverage().rows)
    _fill(plan, 4, thuvien)  # more activities, serving more commitments
    assert sum(r.covered for r in coverage().rows) > before
