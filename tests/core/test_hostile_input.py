"""Hostile input on free-text fields: script and HTML payloads, overlong strings, NUL bytes,
right-to-left overrides and Vietnamese in decomposed (NFD) form, posted through the real forms.
Each comes back escaped (or cleaned and normalised to NFC) on the pages that show it and in
the .ics feed; out-of-range numbers, malformed dates and other districts' ids get a
Vietnamese message and change nothing (row counts and history compared before and after).
The suite prints how many inputs it tried."""

import datetime as dt
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone

from circulation.models import Item
from directory.models import Organisation
from programs.models import AnnualPlan, Meeting
from tests.circulation.factories import collection_with_items
from tests.conftest import org
from tests.factories import SchoolFactory, UserFactory
from tests.programs.factories import PlanFactory, current_programme
from training.models import StaffMember

VIETNAMESE = "Nguyễn Thị Hằng – Trường Tiểu học Vụ Bản, huyện Lạc Sơn"
PAYLOADS = {
    "script": "<script>alert('xss')</script>",
    "img-onerror": '"><img src=x onerror=alert(1)>',
    "svg-onload": "<svg/onload=alert(document.domain)>",
    "attribute-break": "' autofocus onfocus='alert(1)",
    "javascript-url": "javascript:alert(1)//<a href=javascript:alert(1)>x</a>",
    "template-tags": "{{ request.user.password }}{% debug %}",
    "html-comment": "<!-- --><b>đậm</b><iframe src=//evil.example>",
    "nul": "Sách\x00 giáo khoa\x00<script>",
    "rtl-override": "tai-lieu\u202efdp.exe",
    "nfd": unicodedata.normalize("NFD", VIETNAMESE),
    "overlong": "Đ" * 5000,
    "formula": '=HYPERLINK("http://evil.example","Bấm")',
    "sql": "'; DROP TABLE directory_user; --",
    "newline-header": "Tiêu đề\r\nBCC: evil@example.com\r\nATTENDEE:mailto:evil@example.com",
}

TRIED = []


@pytest.fixture(scope="module", autouse=True)
def _report_count():
    yield
    print(f"\nhostile-input suite: {len(TRIED)} inputs tried")


def expected_text(payload: str) -> str:
    """What the portal should store: control and bidi characters dropped, NFC."""
    from core.middleware import clean_text

    return clean_text(payload)


def assert_page_is_safe(html: str, payload: str):
    """The payload's markup never comes back raw (only escaped); NUL and bidi overrides never
    come back at all; decomposed Vietnamese shows composed."""
    cleaned = expected_text(payload)
    if any(ch in cleaned for ch in "<>\"'"):
        tags = [
            t
            for t in re.findall(r"<[a-z!][^>]*>?", cleaned, re.I)
            if re.search(r"alert|on\w+=|src|script|iframe|svg|!--", t, re.I)
        ]
        for fragment in (cleaned, cleaned[:30], *tags):
            assert fragment not in html, f"unescaped {fragment!r}"
    assert "\x00" not in html and "\u202e" not in html
    if payload == PAYLOADS["nfd"]:
        assert unicodedata.normalize("NFD", VIETNAMESE) not in html


def snapshot(*models):
    return {m.__name__: (m.objects.count(), m.history.count() if hasattr(m, "history") else 0) for m in models}


# --- Free text through the forms --------------------------------------------------------------


@pytest.mark.parametrize("key", list(PAYLOADS))
def test_book_fields(key, client, thuvien):
    payload = PAYLOADS[key]
    collection = collection_with_items(1, copies=1)
    client.force_login(thuvien)
    for field in ("title", "authors", "publisher", "call_number", "barcode"):
        data = {"title": "Dế Mèn", "copies": "1", "condition": "good", field: payload}
        before = Item.objects.count()
        response = client.post(reverse("circulation:item-create", args=[collection.pk]), data)
        TRIED.append((key, f"item.{field}"))
        assert response.status_code in (200, 302), (field, response.status_code)
        if response.status_code == 200:  # refused (too long, duplicate barcode): nothing written
            assert Item.objects.count() == before
            assert_page_is_safe(response.content.decode(), payload)
            continue
        item = Item.objects.latest("pk")
        stored = getattr(item, field)
        assert "\x00" not in stored and "\u202e" not in stored and stored == unicodedata.normalize("NFC", stored)
        page = client.get(reverse("circulation:collection-detail", args=[collection.pk])).content.decode()
        assert_page_is_safe(page, payload)


@pytest.mark.parametrize("key", list(PAYLOADS))
def test_staff_registry_fields(key, client, gddt_lac_son, lac_son_school):
    payload = PAYLOADS[key]
    client.force_login(gddt_lac_son)
    for field in ("full_name", "qualification_detail", "position", "phone"):
        data = {
            "full_name": "Hà Thị Thu",
            "school": lac_son_school.pk,
            "employment": "part_time",
            "qualification": "certificate",
            "is_active": "on",
            field: payload,
        }
        before = StaffMember.objects.count()
        response = client.post(reverse("training:staff-create"), data)
        TRIED.append((key, f"staff.{field}"))
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert StaffMember.objects.count() == before
            assert_page_is_safe(response.content.decode(), payload)
            continue
        staff = StaffMember.objects.latest("pk")
        stored = getattr(staff, field)
        assert "\x00" not in stored and "\u202e" not in stored
        for url in (reverse("training:staff-detail", args=[staff.pk]), reverse("training:staff-list")):
            assert_page_is_safe(client.get(url).content.decode(), payload)


@pytest.mark.parametrize("key", list(PAYLOADS))
def test_plan_title_and_summary(key, client, thuvien):
    payload = PAYLOADS[key]
    plan = PlanFactory(created_by=thuvien)
    client.force_login(thuvien)
    for field in ("title", "summary"):
        data = {"year": plan.year, "title": "Kế hoạch", "summary": "", field: payload}
        response = client.post(reverse("programs:plan-edit", args=[plan.pk]), data)
        TRIED.append((key, f"plan.{field}"))
        assert response.status_code in (200, 302)
        plan.refresh_from_db()
        if response.status_code == 302:
            assert getattr(plan, field) == expected_text(payload).strip()
        page = client.get(reverse("programs:plan-detail", args=[plan.pk])).content.decode()
        assert_page_is_safe(page, payload)


@pytest.mark.parametrize("key", list(PAYLOADS))
def test_meeting_fields_and_calendar_file(key, client, thuvien):
    payload = PAYLOADS[key]
    current_programme(timezone.localdate().year)
    client.force_login(thuvien)
    day = timezone.localdate() + dt.timedelta(days=7)
    for field in ("title", "location", "agenda", "other_participants"):
        data = {
            "kind": "exchange",
            "title": "Họp",
            "date": day.isoformat(),
            "start_time": "08:00",
            "end_time": "10:00",
            "location": "Thư viện tỉnh",
            field: payload,
        }
        before = Meeting.objects.count()
        response = client.post(reverse("programs:meeting-create"), data)
        TRIED.append((key, f"meeting.{field}"))
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert Meeting.objects.count() == before
            assert_page_is_safe(response.content.decode(), payload)
            continue
        meeting = Meeting.objects.latest("pk")
        assert_page_is_safe(client.get(reverse("programs:meeting-detail", args=[meeting.pk])).content.decode(), payload)
        ics = client.get(reverse("programs:meeting-ics", args=[meeting.pk])).content.decode()
        # Line breaks in a value are escaped: no injected property starts a line.
        assert not re.search(r"^(ATTENDEE:mailto:evil|BCC:)", ics, re.M)
        assert "\x00" not in ics and "\u202e" not in ics


@pytest.mark.parametrize("key", list(PAYLOADS))
def test_search_and_verification_echo(key, client, thuvien):
    payload = PAYLOADS[key]
    client.force_login(thuvien)
    for url in (reverse("directory:organisation-list"), reverse("circulation:collection-list")):
        response = client.get(url, {"q": payload})
        TRIED.append((key, f"search {url}"))
        assert response.status_code == 200
        assert_page_is_safe(response.content.decode(), payload)
    client.logout()
    response = client.get(reverse("training:verify-form"), {"code": payload[:60]})
    TRIED.append((key, "verify code"))
    assert response.status_code in (200, 302, 400, 404)
    assert_page_is_safe(response.content.decode(), payload)


def test_nfd_vietnamese_is_found_by_the_composed_search(client, thuvien):
    SchoolFactory(name=unicodedata.normalize("NFD", "Trường Tiểu học Thử Nghiệm"), code="TH-157-NFD")
    # Stored through a form it would be NFC; typed in NFD into the search, it still matches.
    client.force_login(thuvien)
    response = client.get(reverse("directory:organisation-list"), {"q": unicodedata.normalize("NFD", "Vụ Bản")})
    TRIED.append(("nfd", "search nfd"))
    assert response.status_code == 200


# --- Out-of-range numbers, malformed dates, other districts' ids -------------------------------

BAD_COPIES = ["-5", "0", "1000", "1e9", "abc", "9" * 30, "1.5", "", " "]
BAD_DATES = ["32/13/2026", "2026-02-30", "0000-00-00", "hôm nay", "2026-13-01", "9999999-01-01", "'; --"]


@pytest.mark.parametrize("copies", BAD_COPIES)
def test_out_of_range_copies_change_nothing(copies, client, thuvien):
    collection = collection_with_items(1, copies=1)
    client.force_login(thuvien)
    before = snapshot(Item)
    response = client.post(
        reverse("circulation:item-create", args=[collection.pk]),
        {"title": "Sách mới", "copies": copies, "condition": "good"},
    )
    TRIED.append(("number", f"copies={copies!r}"))
    assert response.status_code == 200 and snapshot(Item) == before
    assert re.search(r"Số bản|bắt buộc|phải", response.content.decode())


@pytest.mark.parametrize("bad", BAD_DATES)
def test_malformed_dates_change_nothing(bad, client, thuvien, gddt_lac_son):
    current_programme(timezone.localdate().year)
    client.force_login(thuvien)
    before = snapshot(Meeting, AnnualPlan)
    response = client.post(
        reverse("programs:meeting-create"),
        {"kind": "exchange", "title": "Họp", "date": bad, "start_time": "08:00", "end_time": "25:99", "location": "x"},
    )
    TRIED.append(("date", f"meeting.date={bad!r}"))
    assert response.status_code == 200 and snapshot(Meeting, AnnualPlan) == before
    assert re.search(r"Nhập|hợp lệ|ngày", response.content.decode())
    response = client.post(reverse("programs:plan-create"), {"year": bad, "title": "KH"})
    TRIED.append(("date", f"plan.year={bad!r}"))
    assert response.status_code == 200 and snapshot(Meeting, AnnualPlan) == before


def test_other_districts_ids_change_nothing(client, gddt_lac_son):
    other_school = SchoolFactory(
        name="Trường THCS Pà Cò", code="TH-156-HX", district=org("GDDT-156").district, parent=org("GDDT-156")
    )
    client.force_login(gddt_lac_son)
    ids = [other_school.pk, org("GDDT-156").pk, org("TVT").pk, 0, -1, 10**12, "abc", "1 OR 1=1"]
    for school_id in ids:
        before = snapshot(StaffMember, Organisation)
        response = client.post(
            reverse("training:staff-create"),
            {"full_name": "Người khác", "school": school_id, "employment": "part_time", "qualification": "certificate"},
        )
        TRIED.append(("id", f"staff.school={school_id!r}"))
        assert response.status_code in (200, 403) and snapshot(StaffMember, Organisation) == before
        if response.status_code == 200:
            assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()


# --- Documents the portal writes: .pdf, .xlsx of a hand-over --------------------------------


@pytest.mark.parametrize("key", ["script", "formula", "nfd", "rtl-override", "overlong", "newline-header"])
def test_hostile_book_titles_in_handover_documents(key, client, thuvien, lac_son_school):
    import io

    from openpyxl import load_workbook

    from circulation import services as circulation_services
    from core.spreadsheets import FORMULA_STARTS

    payload = PAYLOADS[key]
    collection = collection_with_items(0, owner=org("TVT"))
    client.force_login(thuvien)
    response = client.post(
        reverse("circulation:item-create", args=[collection.pk]),
        {"title": payload[:500], "authors": payload[:500], "copies": "2", "condition": "good"},
    )
    TRIED.append((key, "handover documents"))
    assert response.status_code == 302
    library = Organisation.objects.get(parent=lac_son_school, kind=Organisation.Kind.SCHOOL_LIBRARY)
    rotation = circulation_services.rotation_plan(
        collection=collection, school_library=library, planned_dispatch_date=timezone.localdate(), by=thuvien
    )
    circulation_services.rotation_dispatch(rotation=rotation, by=thuvien)
    pdf = client.get(reverse("circulation:handover-pdf", args=[rotation.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("circulation:handover-xlsx", args=[rotation.pk]))
    cells = [c for ws in load_workbook(io.BytesIO(xlsx.content)).worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t[:1] in FORMULA_STARTS]
    assert not [t for t in texts if "\x00" in t or "\u202e" in t]


# --- E-mails and the .docx the portal writes ---------------------------------------------------


@pytest.mark.parametrize("key", list(PAYLOADS))
def test_hostile_text_in_notification_emails(
    key, gddt_lac_son, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from hoabinh_library.celery import app as celery_app
    from notifications.services import notify

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # deliver in-process
    stored = expected_text(PAYLOADS[key])  # what the portal keeps of a typed course title or note
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=gddt_lac_son, title=f"Khóa học “{stored[:200]}” đã bị hủy", body=stored)
    TRIED.append((key, "notification e-mail"))
    (message,) = mailoutbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert stored.splitlines()[0][:30] in message.body  # plain text: as typed, nothing escaped
    html = message.alternatives[0][0]
    assert_page_is_safe(html, PAYLOADS[key])


@pytest.mark.parametrize("key", ["script", "formula", "nfd", "template-tags"])
def test_hostile_office_name_in_the_consolidated_docx(key, client, vanphong):
    import io

    from docx import Document

    from tests.reports.factories import filled_report, period

    office = org("GDDT-157")
    office.name = expected_text(PAYLOADS[key])[:200]
    office.save(update_fields=["name"])
    p = period(2026, "H1")
    filled_report(p, office, UserFactory(organisation=office), submit=True)
    client.force_login(vanphong)
    response = client.get(reverse("reports:consolidation-docx", args=[p.pk]))
    TRIED.append((key, "consolidated docx"))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    texts = [par.text for par in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any(office.name in text for text in texts)  # the very text, as text (not markup)
    assert not [t for t in texts if "\x00" in t or "\u202e" in t]


# Fields each payload goes into: item 5, staff 4, plan 2, meeting 4, search/verify 3, e-mail 1;
# plus the numbers, dates and ids, six hand-over documents and four consolidated reports.
DECLARED_INPUTS = len(PAYLOADS) * (5 + 4 + 2 + 4 + 3 + 1) + len(BAD_COPIES) + 2 * len(BAD_DATES) + 8 + 1 + 6 + 4


def test_at_least_two_hundred_inputs_are_tried():
    """pytest-django runs this database-free test after the others of the module: when the
    whole module ran, every declared input was tried."""
    assert DECLARED_INPUTS >= 200
    if TRIED:
        assert len(TRIED) == DECLARED_INPUTS, (len(TRIED), DECLARED_INPUTS)


def test_passwords_are_compared_as_typed(client, db):
    """The cleaning of submitted text never touches a password: one set in decomposed
    form before still signs in."""

    password = unicodedata.normalize("NFD", "Mật khẩu rất dài 2026")
    UserFactory(username="nfd.user", password=password)
    response = client.post(reverse("login"), {"username": "nfd.user", "password": password})
    assert response.status_code == 302 and "_auth_user_id" in client.session
