"""One visibility rule, from the scoping selector, on every page: an annual plan's page lists
only the district plans the reader may open; inspections follow the same scope."""

from django.urls import reverse
from django.utils import timezone

from directory.access import is_district_office_member
from programs.models import AnnualPlan, Inspection, LocalPlan
from tests.conftest import org
from tests.programs.factories import PlanFactory


def _plans(thuvien):
    plan = PlanFactory(status=AnnualPlan.Status.IN_FORCE, created_by=thuvien, in_force_at=timezone.now())
    ours = LocalPlan.objects.create(plan=plan, organisation=org("GDDT-157"), title="KH Lạc Sơn", created_by=thuvien)
    theirs = LocalPlan.objects.create(plan=plan, organisation=org("GDDT-156"), title="KH Mai Châu", created_by=thuvien)
    return plan, ours, theirs


def test_the_plan_page_lists_only_visible_district_plans(client, thuvien, gddt_lac_son, tv_lac_son, giamdoc_sgddt):
    plan, ours, theirs = _plans(thuvien)
    url = reverse("programs:plan-detail", args=[plan.pk])
    ours_url = reverse("programs:local-plan-detail", args=[ours.pk])
    theirs_url = reverse("programs:local-plan-detail", args=[theirs.pk])
    client.force_login(tv_lac_son)
    page = client.get(url).content.decode()
    assert ours_url not in page and theirs_url not in page and "Mai Châu" not in page
    client.force_login(gddt_lac_son)
    page = client.get(url).content.decode()
    assert ours_url in page and theirs_url not in page
    client.force_login(giamdoc_sgddt)
    page = client.get(url).content.decode()
    assert ours_url in page and theirs_url in page


def test_inspections_follow_the_scope(client, thuvien, gddt_lac_son, gddt_mai_chau, tv_lac_son, lac_son_school):
    from tests.programs.factories import current_programme

    inspection = Inspection.objects.create(
        programme=current_programme(),
        title="Kiểm tra Lạc Sơn",
        date=timezone.localdate(),
        district=org("GDDT-157").district,
        team="Đoàn",
        created_by=thuvien,
    )
    url = reverse("programs:inspection-detail", args=[inspection.pk])
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 200
    client.force_login(gddt_mai_chau)
    assert client.get(url).status_code == 404
    client.force_login(tv_lac_son)  # not one of the inspected places
    assert client.get(url).status_code == 404
    inspection.places.add(lac_son_school)
    assert client.get(url).status_code == 200


def test_the_district_office_membership_check(gddt_lac_son, tv_lac_son, thuvien, db):
    from tests.factories import UserFactory

    library_staff_in_office = UserFactory(role="library_staff", organisation=org("TTVH-157"))
    officer_at_library = UserFactory(role="district_officer", organisation=org("TVH-157"))
    assert is_district_office_member(gddt_lac_son)
    assert not is_district_office_member(tv_lac_son) and not is_district_office_member(thuvien)
    assert not is_district_office_member(library_staff_in_office) and not is_district_office_member(officer_at_library)
