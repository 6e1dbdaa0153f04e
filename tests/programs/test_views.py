"""Access to each view: allowed; read-only refused (403); outsider 404; wrong method 405."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from programs.models import ActionItem, AnnualPlan, LocalPlan, ProgressEvidence
from programs.services import local_plan_create
from tests.conftest import org

from .factories import ActionItemFactory, ActivityFactory, MeetingFactory, PlanFactory, current_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(thuvien):
    plan = PlanFactory(created_by=thuvien)
    ActivityFactory(plan=plan)
    return plan


def test_read_pages_open_for_every_role_with_scope(plan, client, thuvien, giamdoc_vhttdl, gddt_lac_son, tv_lac_son):
    activity = plan.activities.get()
    # Each page, and what every reader must find on it.
    pages = {
        reverse("programs:programme-list"): plan.programme.title,
        reverse("programs:programme-detail", args=[plan.programme_id]): plan.programme.commitments.first().code,
        reverse("programs:coverage"): "",
        reverse("programs:plan-list"): plan.title,
        reverse("programs:plan-detail", args=[plan.pk]): activity.title,
        reverse("programs:activity-detail", args=[activity.pk]): activity.title,
        reverse("programs:local-plan-list"): "",
        reverse("programs:meeting-list"): "",
        reverse("programs:inspection-list"): "",
    }
    for user in (thuvien, giamdoc_vhttdl, gddt_lac_son, tv_lac_son):
        client.force_login(user)
        for url, text in pages.items():
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            assert text in response.content.decode(), (user.username, url, text)


def test_plan_create_view(client, thuvien, giamdoc_vhttdl):
    year = timezone.localdate().year
    current_programme(year)
    url = reverse("programs:plan-create")
    client.force_login(giamdoc_vhttdl)
    assert client.get(url).status_code == 403
    client.force_login(thuvien)
    response = client.post(url, {"year": year, "title": f"Kế hoạch năm {year}", "summary": ""})
    plan = AnnualPlan.objects.get(year=year)
    assert response.status_code == 302 and response.url == reverse("programs:plan-detail", args=[plan.pk])
    response = client.post(url, {"year": 2010, "title": "Sai năm"})
    assert "Không có chương trình phối hợp nào có hiệu lực" in response.content.decode()
    assert client.put(url).status_code == 405


def test_activity_create_view_links_commitments(client, thuvien, plan, gddt_lac_son):
    url = reverse("programs:activity-create", args=[plan.pk])
    commitments = plan.programme.commitments.filter(code__in=["IV.2.b", "IV.1.d2"])
    data = {
        "title": "Tập huấn nghiệp vụ",
        "description": "",
        "commitments": [c.pk for c in commitments],
        "lead_unit": org("TVT").pk,
        "partner_units": [org("VPSGD").pk],
        "start_date": f"{plan.year}-04-01",
        "end_date": f"{plan.year}-08-31",
        "target_value": "3",
        "target_unit": "lớp",
        "funding_side": "joint",
    }
    client.force_login(gddt_lac_son)
    assert client.post(url, data).status_code == 403
    client.force_login(thuvien)
    response = client.post(url, data)
    assert response.status_code == 302
    activity = plan.activities.get(title="Tập huấn nghiệp vụ")
    assert set(activity.commitments.values_list("code", flat=True)) == {"IV.2.b", "IV.1.d2"}
    response = client.post(url, {**data, "commitments": [], "title": "Không gắn"})
    assert "Chọn ít nhất một nội dung phối hợp" in response.content.decode()
    response = client.post(url, {**data, "end_date": f"{plan.year}-01-01", "title": "Ngược"})
    assert "Ngày kết thúc phải sau ngày bắt đầu" in response.content.decode()
    assert not plan.activities.filter(title__in=["Không gắn", "Ngược"]).exists()


def test_submit_view(client, plan, thuvien, gddt_lac_son, outsider):
    url = reverse("programs:plan-submit", args=[plan.pk])
    client.force_login(thuvien)
    assert client.get(url).status_code == 405
    client.force_login(gddt_lac_son)
    assert client.post(url).status_code == 403
    client.force_login(thuvien)
    response = client.post(url, follow=True)
    assert "Đã trình kế hoạch" in response.content.decode()
    response = client.post(url, follow=True)
    assert "Chỉ trình được kế hoạch đang là dự thảo" in response.content.decode()


def test_decide_view(client, plan, thuvien, giamdoc_sgddt):
    plan.status, plan.submission_round = AnnualPlan.Status.SUBMITTED, 1
    plan.save()
    url = reverse("programs:plan-decide", args=[plan.pk])
    client.force_login(thuvien)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(giamdoc_sgddt)
    assert client.get(url).status_code == 405
    page = client.get(reverse("programs:plan-detail", args=[plan.pk])).content.decode()
    assert 'data-testid="decision-form"' in page
    response = client.post(url, {"decision": "return", "comment": ""}, follow=True)
    assert "ghi rõ ý kiến" in response.content.decode()
    response = client.post(url, {"decision": "return", "comment": "Bổ sung kinh phí."}, follow=True)
    assert "Đã trả lại kế hoạch" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.return_comment == "Bổ sung kinh phí."


def test_progress_with_evidence_files(client, plan, thuvien, vhtt_lac_son, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan.status = AnnualPlan.Status.IN_FORCE
    plan.save()
    activity = plan.activities.get()
    url = reverse("programs:progress-add", args=[activity.pk])
    files = [
        SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff", content_type="image/jpeg"),
    ]
    data = {"reported_on": timezone.localdate().isoformat(), "percent": "60", "narrative": "Đã luân chuyển 300 cuốn"}
    client.force_login(vhtt_lac_son)
    assert client.post(url, data).status_code == 403
    client.force_login(thuvien)
    response = client.post(url, {**data, "files": files}, follow=True)
    assert "Đã ghi nhận tiến độ" in response.content.decode()
    assert sorted(ProgressEvidence.objects.values_list("title", flat=True)) == ["anh.jpg", "bien-ban.pdf"]
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {**data, "files": [bad]}, follow=True)
    assert "không đúng định dạng" in response.content.decode()
    response = client.post(url, {**data, "percent": "150"}, follow=True)
    assert activity.progress_updates.count() == 1
    future = {**data, "reported_on": date(timezone.localdate().year + 1, 1, 1).isoformat()}
    response = client.post(url, future, follow=True)
    assert "không được ở tương lai" in response.content.decode()


def test_meeting_detail_scope(client, thuvien, gddt_lac_son, outsider):
    meeting = MeetingFactory(created_by=thuvien)
    meeting.participant_organisations.set([org("GDDT-157")])
    url = reverse("programs:meeting-detail", args=[meeting.pk])
    client.force_login(gddt_lac_son)
    response = client.get(url)
    assert response.status_code == 200 and meeting.title in response.content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 405


def test_action_item_toggle(client, thuvien, gddt_lac_son, vhtt_lac_son, outsider):
    item = ActionItemFactory(meeting=MeetingFactory(created_by=thuvien))
    item.meeting.participant_organisations.set([org("GDDT-157"), org("VHTT-157")])
    url = reverse("programs:action-item-toggle", args=[item.pk])
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 405
    client.force_login(vhtt_lac_son)
    assert client.post(url, {"done": "1"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url, {"done": "1"}).status_code == 404
    client.force_login(gddt_lac_son)
    client.post(url, {"done": "1"})
    item.refresh_from_db()
    assert item.done and item.done_at
    assert ActionItem.objects.filter(done=True).count() == 1


def test_local_plan_edit_only_by_own_office(client, plan, thuvien, gddt_lac_son, vhtt_lac_son, outsider):
    plan.status = AnnualPlan.Status.IN_FORCE
    plan.save()
    local = local_plan_create(plan=plan, by=gddt_lac_son)
    assert local_plan_create(plan=plan, by=gddt_lac_son) == local, "one local plan per office and year"
    add = reverse("programs:local-activity-add", args=[local.pk])
    data = {
        "provincial_activity": plan.activities.get().pk,
        "title": "Luân chuyển sách tới trường vùng cao Lạc Sơn",
        "start_date": f"{plan.year}-03-01",
        "end_date": f"{plan.year}-10-31",
        "target_value": "300",
        "target_unit": "cuốn",
        "percent": "20",
        "progress_note": "",
    }
    client.force_login(vhtt_lac_son)
    assert client.get(reverse("programs:local-plan-detail", args=[local.pk])).status_code == 200
    assert client.post(add, data).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("programs:local-plan-detail", args=[local.pk])).status_code == 404
    assert client.post(add, data).status_code == 404
    client.force_login(gddt_lac_son)
    assert client.get(add).status_code == 405
    client.post(add, {**data, "percent": "120"})
    assert not local.activities.exists()
    client.post(add, data)
    assert local.activities.get().percent == 20
    response = client.post(reverse("programs:local-plan-submit", args=[local.pk]), follow=True)
    assert "Đã gửi kế hoạch" in response.content.decode()
    assert LocalPlan.objects.get().status == "submitted"


def test_local_plan_refused_before_the_provincial_plan_is_in_force(client, plan, gddt_lac_son):
    client.force_login(gddt_lac_son)
    response = client.post(reverse("programs:local-plan-create"), follow=True)
    assert "đang thực hiện" in response.content.decode()
    assert not LocalPlan.objects.exists()


def test_proposals_are_for_province_wide_roles(client, thuvien, gddt_lac_son):
    client.force_login(gddt_lac_son)
    refused = client.get(reverse("programs:proposal-list"))
    assert refused.status_code == 403
    assert "Đề xuất, kiến nghị chỉ dành cho lãnh đạo Sở và cán bộ đầu mối." in refused.content.decode()
    client.force_login(thuvien)
    assert client.get(reverse("programs:proposal-list")).status_code == 200


def test_activity_form_refused_once_the_plan_is_submitted(client, plan, thuvien):
    plan.status = AnnualPlan.Status.SUBMITTED
    plan.save()
    client.force_login(thuvien)
    response = client.get(reverse("programs:activity-create", args=[plan.pk]), follow=True)
    assert "hãy tạo bản điều chỉnh" in response.content.decode()
    assert plan.activities.count() == 1
