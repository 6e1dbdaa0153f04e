"""Meetings, action items, inspections and proposals edited in the portal: each view's access
(allowed; read-only refused 403; outsider 404; wrong method 405) and what a user notices."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory.models import AdministrativeUnit
from programs.models import ActionItem, Inspection, Meeting, Proposal, Recommendation, RecommendationUpdate
from tests.conftest import org

from .factories import ActionItemFactory, MeetingFactory, current_programme

pytestmark = pytest.mark.django_db


def _day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


@pytest.fixture
def meeting(thuvien):
    meeting = MeetingFactory(created_by=thuvien)
    meeting.participant_organisations.set([org("GDDT-157"), org("TVT")])
    return meeting


@pytest.fixture
def past_meeting(thuvien):
    starts = timezone.make_aware(datetime.combine(_day(-2), time(8)))
    meeting = MeetingFactory(created_by=thuvien, starts_at=starts, ends_at=starts + timedelta(hours=2))
    meeting.participant_organisations.set([org("GDDT-157")])
    return meeting


@pytest.fixture
def inspection(thuvien):
    inspection = Inspection.objects.create(
        programme=current_programme(),
        title="Kiểm tra thư viện trường học Lạc Sơn",
        date=_day(-10),
        district=org("GDDT-157").district,
        team="Thư viện tỉnh, Văn phòng Sở GD&ĐT",
        created_by=thuvien,
    )
    inspection.places.set([org("TVH-157")])
    return inspection


@pytest.fixture
def recommendation(inspection):
    return Recommendation.objects.create(
        inspection=inspection, text="Bổ sung giá sách", owner_organisation=org("GDDT-157"), due_date=_day(20)
    )


@pytest.fixture
def proposal():
    return Proposal.objects.create(
        programme=current_programme(),
        title="Đề nghị bổ sung kinh phí luân chuyển sách",
        content="Kính gửi UBND tỉnh…",
        organisation=org("TVT"),
        status=Proposal.Status.SENT,
        sent_on=_day(-30),
    )


def _meeting_data(**overrides):
    data = {
        "kind": Meeting.Kind.EXCHANGE,
        "title": "Họp trao đổi thông tin 6 tháng đầu năm",
        "date": _day(7).isoformat(),
        "start_time": "08:00",
        "end_time": "11:00",
        "location": "Hội trường Thư viện tỉnh",
        "participant_organisations": [org("TVT").pk, org("GDDT-157").pk],
        "participants": [],
        "other_participants": "",
        "agenda": "1. Đánh giá kết quả\n2. Nhiệm vụ 6 tháng cuối năm",
    }
    return {**data, **overrides}


# --- Meetings --------------------------------------------------------------------------------


def test_meeting_create(client, thuvien, vanphong, gddt_lac_son):
    current_programme()
    url = reverse("programs:meeting-create")
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 403
    assert client.post(url, _meeting_data()).status_code == 403
    client.force_login(thuvien)
    assert client.put(url).status_code == 405
    assert client.get(url).status_code == 200
    response = client.post(url, _meeting_data(participants=[vanphong.pk]))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("programs:meeting-detail", args=[meeting.pk])
    assert timezone.localtime(meeting.starts_at).hour == 8 and meeting.created_by == thuvien
    assert set(meeting.participant_organisations.values_list("code", flat=True)) == {"TVT", "GDDT-157"}
    assert list(meeting.participants.all()) == [vanphong]


def test_meeting_create_bad_input_changes_nothing(client, thuvien):
    current_programme()
    client.force_login(thuvien)
    url = reverse("programs:meeting-create")
    response = client.post(url, _meeting_data(end_time="07:00"))
    assert "Giờ kết thúc phải sau giờ bắt đầu" in response.content.decode()
    response = client.post(url, _meeting_data(date="2001-05-05"))
    assert "Không có chương trình phối hợp nào có hiệu lực" in response.content.decode()
    response = client.post(url, _meeting_data(title="", date="không phải ngày"))
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_meeting_edit(client, meeting, thuvien, gddt_lac_son, outsider):
    url = reverse("programs:meeting-edit", args=[meeting.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 403
    assert client.post(url, _meeting_data(title="Đổi tên")).status_code == 403
    client.force_login(thuvien)
    assert client.delete(url).status_code == 405
    page = client.get(url).content.decode()
    assert meeting.title in page and 'value="08:00"' in page
    response = client.post(url, _meeting_data(title="Họp đã dời", location="Sở GD&ĐT"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Họp đã dời" and meeting.location == "Sở GD&ĐT"
    assert meeting.sequence == 1, "calendars that imported the .ics see the change"


def test_meeting_detail_offers_portal_forms_to_focal_officers_only(client, past_meeting, thuvien, gddt_lac_son):
    url = reverse("programs:meeting-detail", args=[past_meeting.pk])
    client.force_login(thuvien)
    page = client.get(url).content.decode()
    assert reverse("programs:meeting-edit", args=[past_meeting.pk]) in page
    assert 'data-testid="action-form"' in page and 'data-testid="minutes-form"' in page
    assert "/admin/" not in page.split('data-testid="meeting-edit"')[0].rsplit("page-header", 1)[-1]
    client.force_login(gddt_lac_son)
    page = client.get(url).content.decode()
    assert 'data-testid="action-form"' not in page and 'data-testid="minutes-form"' not in page
    assert reverse("programs:meeting-edit", args=[past_meeting.pk]) not in page


def test_meeting_minutes(client, past_meeting, thuvien, gddt_lac_son, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("programs:meeting-minutes", args=[past_meeting.pk])
    data = {"decisions": "Giao Thư viện tỉnh tổng hợp danh sách trường."}
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(gddt_lac_son)
    assert client.post(url, data).status_code == 403
    client.force_login(thuvien)
    assert client.get(url).status_code == 405
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(url, {**data, "minutes_file": upload}, follow=True)
    assert "Đã lưu biên bản và kết luận" in response.content.decode()
    past_meeting.refresh_from_db()
    assert past_meeting.decisions == data["decisions"] and past_meeting.minutes_file.name.endswith(".pdf")


def test_meeting_minutes_bad_input_changes_nothing(client, past_meeting, meeting, thuvien, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(thuvien)
    url = reverse("programs:meeting-minutes", args=[past_meeting.pk])
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"decisions": "Kết luận", "minutes_file": bad}, follow=True)
    assert "Biên bản phải là tệp PDF, Word hoặc ảnh chụp" in response.content.decode()
    response = client.post(url, {"decisions": "  "}, follow=True)
    assert "Vui lòng nhập kết luận hoặc chọn tệp biên bản" in response.content.decode()
    future = reverse("programs:meeting-minutes", args=[meeting.pk])
    response = client.post(future, {"decisions": "Kết luận trước"}, follow=True)
    assert "Cuộc họp chưa diễn ra" in response.content.decode()
    past_meeting.refresh_from_db()
    meeting.refresh_from_db()
    assert past_meeting.decisions == "" and not past_meeting.minutes_file and meeting.decisions == ""


# --- Action items ----------------------------------------------------------------------------


def test_action_item_add(client, meeting, thuvien, gddt_lac_son, outsider):
    url = reverse("programs:action-item-add", args=[meeting.pk])
    data = {"description": "Gửi danh sách trường nhận sách", "owner": gddt_lac_son.pk, "due_date": _day(20)}
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(gddt_lac_son)
    assert client.post(url, data).status_code == 403
    client.force_login(thuvien)
    assert client.get(url).status_code == 405
    response = client.post(url, data, follow=True)
    assert "Đã thêm việc cần làm" in response.content.decode()
    item = ActionItem.objects.get()
    assert item.owner == gddt_lac_son and item.owner_organisation == org("GDDT-157"), "unit taken from the owner"
    assert "Gửi danh sách trường nhận sách" in response.content.decode()


def test_action_item_add_bad_input_changes_nothing(client, meeting, thuvien):
    client.force_login(thuvien)
    url = reverse("programs:action-item-add", args=[meeting.pk])
    response = client.post(url, {"description": "Không ai phụ trách", "due_date": _day(20)}, follow=True)
    assert "Vui lòng chọn người phụ trách hoặc đơn vị thực hiện" in response.content.decode()
    data = {"description": "Hạn trước ngày họp", "owner_organisation": org("TVT").pk, "due_date": _day(-1)}
    response = client.post(url, data, follow=True)
    assert "Hạn hoàn thành không được trước ngày họp" in response.content.decode()
    response = client.post(url, {**data, "due_date": "31/02/2026"}, follow=True)
    assert "Hạn hoàn thành" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_action_item_done_and_reopen_are_kept_in_history(client, meeting, thuvien):
    item = ActionItemFactory(meeting=meeting)
    url = reverse("programs:action-item-toggle", args=[item.pk])
    client.force_login(thuvien)
    response = client.post(url, {"done": "1"}, follow=True)
    assert "Đã đánh dấu hoàn thành" in response.content.decode()
    response = client.post(url, {"done": "0"}, follow=True)
    assert "Đã mở lại việc cần làm" in response.content.decode()
    item.refresh_from_db()
    assert not item.done and item.done_at is None
    states = [(h.done, h.history_user_id) for h in item.history.order_by("history_date", "history_id")]
    assert states == [(False, None), (True, thuvien.pk), (False, thuvien.pk)]


# --- Inspections -----------------------------------------------------------------------------


def _inspection_data(**overrides):
    district = org("TVH-157").district
    data = {
        "kind": Inspection.Kind.INSPECTION,
        "title": "Kiểm tra thư viện Lạc Sơn",
        "date": _day(-3).isoformat(),
        "district": district.pk,
        "places": [org("TVH-157").pk],
        "team": "Thư viện tỉnh; Văn phòng Sở GD&ĐT",
        "findings": "Thư viện hoạt động tốt.",
    }
    return {**data, **overrides}


def test_inspection_create(client, thuvien, gddt_lac_son):
    current_programme()
    url = reverse("programs:inspection-create")
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 403
    assert client.post(url, _inspection_data()).status_code == 403
    client.force_login(thuvien)
    assert client.put(url).status_code == 405
    assert client.get(url).status_code == 200
    response = client.post(url, _inspection_data())
    inspection = Inspection.objects.get()
    assert response.url == reverse("programs:inspection-detail", args=[inspection.pk])
    assert list(inspection.places.values_list("code", flat=True)) == ["TVH-157"]


def test_inspection_bad_input_changes_nothing(client, thuvien):
    current_programme()
    client.force_login(thuvien)
    url = reverse("programs:inspection-create")
    response = client.post(url, _inspection_data(places=[org("TVH-156").pk]))
    assert "không thuộc" in response.content.decode()
    response = client.post(url, _inspection_data(team=""))
    assert response.status_code == 200
    assert not Inspection.objects.exists()


def test_inspection_edit(client, inspection, thuvien, gddt_lac_son, outsider):
    url = reverse("programs:inspection-edit", args=[inspection.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 403
    client.force_login(thuvien)
    assert client.delete(url).status_code == 405
    assert inspection.title in client.get(url).content.decode()
    response = client.post(url, _inspection_data(findings="Cần bổ sung giá sách."))
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.findings == "Cần bổ sung giá sách."
    assert AdministrativeUnit.objects.filter(pk=inspection.district_id, code="157").exists()


def test_recommendation_add(client, inspection, thuvien, gddt_lac_son, outsider):
    url = reverse("programs:recommendation-add", args=[inspection.pk])
    data = {"text": "Bổ sung sách dân tộc", "owner_organisation": org("GDDT-157").pk, "due_date": _day(30)}
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(gddt_lac_son)
    assert client.post(url, data).status_code == 403
    client.force_login(thuvien)
    assert client.get(url).status_code == 405
    response = client.post(url, data, follow=True)
    assert "Đã thêm kiến nghị" in response.content.decode()
    assert inspection.recommendations.get().text == "Bổ sung sách dân tộc"
    response = client.post(url, {**data, "text": "Hạn sai", "due_date": _day(-30)}, follow=True)
    assert "Hạn thực hiện không được trước ngày kiểm tra" in response.content.decode()
    response = client.post(url, {**data, "text": "Đơn vị huyện khác", "owner_organisation": org("GDDT-156").pk})
    assert inspection.recommendations.count() == 1


def test_recommendation_follow_up_keeps_history(client, recommendation, thuvien, gddt_lac_son, vhtt_lac_son, outsider):
    url = reverse("programs:recommendation-follow-up", args=[recommendation.pk])
    data = {"status": "in_progress", "follow_up": "Đã mua 2 giá sách", "reported_on": _day(-1).isoformat()}
    client.force_login(outsider)
    assert client.post(url, data).status_code == 404
    client.force_login(vhtt_lac_son)
    assert client.post(url, data).status_code == 403
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 405
    client.post(url, data)
    client.force_login(thuvien)
    response = client.post(
        url, {**data, "status": "done", "follow_up": "Đã hoàn thành", "reported_on": ""}, follow=True
    )
    page = response.content.decode()
    assert "Đã mua 2 giá sách" in page and "Đã hoàn thành" in page
    recommendation.refresh_from_db()
    assert recommendation.status == "done"
    updates = list(recommendation.updates.order_by("pk").values_list("status", "author__username", "reported_on"))
    assert updates == [("in_progress", "gddt.lac-son", _day(-1)), ("done", "thuvien", _day(0))]


def test_recommendation_follow_up_bad_input_changes_nothing(client, recommendation, thuvien):
    client.force_login(thuvien)
    url = reverse("programs:recommendation-follow-up", args=[recommendation.pk])
    response = client.post(url, {"status": "done", "follow_up": ""}, follow=True)
    assert "Kết quả khắc phục" in response.content.decode()
    response = client.post(url, {"status": "xong", "follow_up": "Ghi chú"}, follow=True)
    assert "Tình trạng" in response.content.decode()
    response = client.post(url, {"status": "done", "follow_up": "Ghi chú", "reported_on": _day(3)}, follow=True)
    assert "không được ở tương lai" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == "open" and not RecommendationUpdate.objects.exists()


# --- Proposals -------------------------------------------------------------------------------


def _proposal_data(**overrides):
    data = {
        "kind": Proposal.Kind.PROPOSAL,
        "title": "Đề xuất đưa chỉ tiêu thư viện trường học vào kế hoạch của tỉnh",
        "commitment": "",
        "organisation": org("TVT").pk,
        "addressee": "Ủy ban nhân dân tỉnh Hòa Bình",
        "content": "Nội dung đề xuất",
        "document_number": "",
        "sent_on": "",
    }
    return {**data, **overrides}


def test_proposal_create(client, thuvien, giamdoc_vhttdl, gddt_lac_son):
    programme = current_programme()
    url = reverse("programs:proposal-create")
    client.force_login(giamdoc_vhttdl)
    assert client.get(url).status_code == 403, "leadership reads proposals but does not edit them"
    client.force_login(gddt_lac_son)
    assert client.post(url, _proposal_data()).status_code == 403
    client.force_login(thuvien)
    assert client.put(url).status_code == 405
    assert client.get(url).status_code == 200
    commitment = programme.commitments.get(code="IV.1.d2")
    response = client.post(url, _proposal_data(commitment=commitment.pk))
    proposal = Proposal.objects.get()
    assert response.url == reverse("programs:proposal-detail", args=[proposal.pk])
    assert proposal.status == "draft" and proposal.commitment == commitment
    response = client.post(url, _proposal_data(title="Tương lai", sent_on=_day(5).isoformat()))
    assert "Ngày gửi không được ở tương lai" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_proposal_edit(client, proposal, thuvien, giamdoc_vhttdl, gddt_lac_son):
    url = reverse("programs:proposal-edit", args=[proposal.pk])
    client.force_login(gddt_lac_son)
    assert client.get(url).status_code == 404
    client.force_login(giamdoc_vhttdl)
    assert client.get(url).status_code == 403
    client.force_login(thuvien)
    assert client.delete(url).status_code == 405
    sent = _proposal_data(document_number="125/TTr-TV", sent_on=_day(-30).isoformat())
    assert client.post(url, sent).status_code == 302
    proposal.refresh_from_db()
    assert proposal.document_number == "125/TTr-TV" and proposal.status == "sent"
    response = client.post(url, _proposal_data(title="Bỏ ngày gửi"))
    assert "vui lòng giữ ngày gửi" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.sent_on == _day(-30)


def test_proposal_response(client, proposal, thuvien, giamdoc_vhttdl, gddt_lac_son):
    url = reverse("programs:proposal-response", args=[proposal.pk])
    data = {"status": "accepted", "response": "UBND tỉnh đồng ý.", "responded_on": _day(-2).isoformat()}
    client.force_login(gddt_lac_son)
    assert client.post(url, data).status_code == 404
    client.force_login(giamdoc_vhttdl)
    assert client.post(url, data).status_code == 403
    client.force_login(thuvien)
    assert client.get(url).status_code == 405
    response = client.post(url, {**data, "response": ""}, follow=True)
    assert "Vui lòng nhập nội dung và ngày trả lời" in response.content.decode()
    response = client.post(url, {**data, "responded_on": _day(-40).isoformat()}, follow=True)
    assert "Ngày trả lời không được trước ngày gửi" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "sent" and proposal.response == ""
    response = client.post(url, data, follow=True)
    assert "Đã ghi nhận tình trạng" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.responded_on == _day(-2)


def test_proposal_response_refused_for_a_draft(client, thuvien):
    draft = Proposal.objects.create(
        programme=current_programme(), title="Dự thảo", content="…", organisation=org("TVT")
    )
    client.force_login(thuvien)
    page = client.get(reverse("programs:proposal-detail", args=[draft.pk])).content.decode()
    assert 'data-testid="response-form"' not in page
    data = {"status": "accepted", "response": "Đồng ý", "responded_on": _day(0).isoformat()}
    response = client.post(reverse("programs:proposal-response", args=[draft.pk]), data, follow=True)
    assert "Đề xuất chưa gửi đi" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_list_pages_link_the_portal_forms_not_the_admin(client, thuvien):
    client.force_login(thuvien)
    for name, target in [
        ("programs:meeting-list", "programs:meeting-create"),
        ("programs:inspection-list", "programs:inspection-create"),
        ("programs:proposal-list", "programs:proposal-create"),
    ]:
        page = client.get(reverse(name)).content.decode()
        assert reverse(target) in page and "/admin/programs/" not in page


def test_meeting_detail_query_count_is_bounded(client, past_meeting, thuvien, django_assert_max_num_queries):
    for n in range(15):
        ActionItemFactory(meeting=past_meeting, description=f"Việc {n}")
    client.force_login(thuvien)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("programs:meeting-detail", args=[past_meeting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert past_meeting.title in page and "Việc 0" in page and "Việc 14" in page
