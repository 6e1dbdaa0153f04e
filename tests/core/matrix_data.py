"""The dataset of the permission matrix: real objects of two districts, A = Lạc Sơn (157),
whose people sign in, and B = Mai Châu (156), whose objects go in the URLs; plus one user
per role. Built once per matrix run, inside the test's transaction."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from api.services import token_create
from circulation.models import ImportBatch, Item, RotatingCollection, Rotation, Route, RouteStage
from directory.models import Organisation, Reorganisation, User
from directory.services import school_library_ensure
from notifications.models import CalendarFeed, Notification
from programs.models import (
    ActionItem,
    ActivityProgress,
    AnnualPlan,
    Inspection,
    LocalActivity,
    LocalPlan,
    Meeting,
    Pilot,
    PlanActivity,
    ProgrammeAmendment,
    ProgressEvidence,
    Proposal,
    Recommendation,
)
from reports.models import Report
from tests.conftest import org
from tests.factories import SchoolFactory, UserFactory
from tests.programs.factories import current_programme
from tests.reports.factories import period
from training.models import (
    Certificate,
    Course,
    CourseMaterial,
    GuidanceDocument,
    GuidanceVersion,
    Nomination,
    StaffMember,
)
from training.models import Session as TrainingSession

# The roles, in the order of the letters of every row of the table.
ROLES = ["anon", "lib_A", "vhtt_A", "ttvh_A", "gddt_A", "focal_culture", "focal_education", "lead_culture", "lead_education", "sysadmin"]  # fmt: skip


def build_users() -> dict[str, User | None]:
    school = SchoolFactory(name="Trường Tiểu học Vụ Bản", code="TH-157-MX", parent=org("GDDT-157"))
    library = school_library_ensure(school=school)

    def user(username, role, code_or_org):
        organisation = code_or_org if isinstance(code_or_org, Organisation) else (code_or_org and org(code_or_org))
        return UserFactory(username=username, role=role, organisation=organisation)

    r = User.Role
    return {
        "anon": None,
        "lib_A": user("tv.lac-son.mx", r.SCHOOL_LIBRARIAN, library),
        "vhtt_A": user("vhtt.lac-son.mx", r.DISTRICT_OFFICER, "VHTT-157"),
        "ttvh_A": user("ttvh.lac-son.mx", r.DISTRICT_OFFICER, "TTVH-157"),
        "gddt_A": user("gddt.lac-son.mx", r.DISTRICT_OFFICER, "GDDT-157"),
        "focal_culture": user("thuvien.mx", r.FOCAL_OFFICER, "TVT"),
        "focal_education": user("vanphong.mx", r.FOCAL_OFFICER, "VPSGD"),
        "lead_culture": user("giamdoc.vhttdl.mx", r.LEADERSHIP, "SVHTTDL"),
        "lead_education": user("giamdoc.sgddt.mx", r.LEADERSHIP, "SGDDT"),
        "sysadmin": user("quantri.mx", r.SYSADMIN, None),
    }


def build_objects(users) -> dict[str, object]:
    """District B's objects (and the province's), keyed as the table names them."""
    today = timezone.localdate()
    now = timezone.now()
    focal = users["focal_culture"]
    b_culture, b_education = org("VHTT-156"), org("GDDT-156")
    b_library = org("TVH-156")
    b_school = SchoolFactory(
        name="Trường THCS Pà Cò", code="TH-156-MX", district=b_education.district, parent=b_education
    )
    b_school_library = school_library_ensure(school=b_school)
    b_officer = UserFactory(username="gddt.mai-chau.mx", organisation=b_education)

    programme = current_programme(today.year)
    programme.original_file.save("chuong-trinh.pdf", ContentFile(b"%PDF programme"), save=True)
    plan = AnnualPlan.objects.create(
        programme=programme,
        year=today.year,
        title="Kế hoạch năm",
        status=AnnualPlan.Status.IN_FORCE,
        created_by=focal,
        in_force_at=now,
    )
    activity = PlanActivity.objects.create(
        plan=plan,
        title="Luân chuyển sách Mai Châu",
        lead_unit=b_culture,
        start_date=dt.date(today.year, 1, 1),
        end_date=dt.date(today.year, 12, 31),
    )
    progress = ActivityProgress.objects.create(
        activity=activity, reported_on=today, narrative="Đã luân chuyển", percent=50, author=b_officer
    )
    evidence = ProgressEvidence(progress=progress, title="Biên bản")
    evidence.file.save("bien-ban.pdf", ContentFile(b"%PDF evidence"), save=True)
    local_plan = LocalPlan.objects.create(
        plan=plan, organisation=b_education, title="KH Mai Châu", created_by=b_officer
    )
    local_activity = LocalActivity.objects.create(
        local_plan=local_plan,
        provincial_activity=activity,
        title="Hoạt động Mai Châu",
        start_date=dt.date(today.year, 2, 1),
        end_date=dt.date(today.year, 11, 30),
    )
    meeting = Meeting.objects.create(
        programme=programme,
        kind=Meeting.Kind.EXCHANGE,
        title="Họp Mai Châu",
        starts_at=now - dt.timedelta(days=3),
        ends_at=now - dt.timedelta(days=3) + dt.timedelta(hours=2),
        location="Mai Châu",
        created_by=focal,
    )
    meeting.participant_organisations.add(b_education)
    meeting.minutes_file.save("bien-ban-hop.pdf", ContentFile(b"%PDF minutes"), save=True)
    action_item = ActionItem.objects.create(
        meeting=meeting, description="Gửi danh sách", owner_organisation=b_education, due_date=today
    )
    inspection = Inspection.objects.create(
        programme=programme,
        title="Kiểm tra Mai Châu",
        date=today,
        district=b_education.district,
        team="Đoàn liên ngành",
        created_by=focal,
    )
    inspection.places.add(b_school)
    recommendation = Recommendation.objects.create(
        inspection=inspection, text="Bổ sung sách", owner_organisation=b_education, due_date=today
    )
    proposal = Proposal.objects.create(
        programme=programme,
        commitment=programme.commitments.first(),
        title="Đề xuất",
        content="Nội dung",
        organisation=b_education,
    )

    reporting_period = period(today.year, "H1")
    report = Report.objects.create(period=reporting_period, organisation=b_education)

    course = Course.objects.create(
        title="Tập huấn Mai Châu",
        kind=Course.Kind.LIBRARY_SKILLS,
        organiser=b_education,
        audience="Nhân viên thư viện",
        capacity=10,
        nomination_deadline=today + dt.timedelta(days=10),
        status=Course.Status.OPEN,
    )
    session = TrainingSession.objects.create(
        course=course,
        date=today + dt.timedelta(days=20),
        start_time=dt.time(8),
        end_time=dt.time(11),
        place="Mai Châu",
        venue=b_library,
    )
    material = CourseMaterial(course=course, title="Tài liệu")
    material.file.save("tai-lieu.pdf", ContentFile(b"%PDF material"), save=True)
    staff = StaffMember.objects.create(
        full_name="Hà Thị Thu",
        school=b_school,
        employment=StaffMember.Employment.PART_TIME,
        qualification=StaffMember.Qualification.OTHER,
    )
    nomination = Nomination.objects.create(
        course=course, staff=staff, nominated_by=b_officer, nominating_organisation=b_education
    )
    certificate = Certificate.objects.create(
        nomination=nomination,
        code="MX7K2P9Q",
        holder_name=staff.full_name,
        course_title=course.title,
        course_start=today,
        course_end=today,
        issuer_name=b_education.name,
        issued_on=today,
    )
    guidance = GuidanceDocument.objects.create(
        title="Sổ tay", audience=GuidanceDocument._meta.get_field("audience").choices[0][0], publisher=org("TVT")
    )
    guidance_version = GuidanceVersion(document=guidance, version="1.0")
    guidance_version.file.save("so-tay.pdf", ContentFile(b"%PDF guidance"), save=True)

    collection = RotatingCollection.objects.create(
        owner=b_library,
        code="MC-01",
        name="Bộ sách Mai Châu",
        target_level=RotatingCollection._meta.get_field("target_level").choices[0][0],
        created_by=users["sysadmin"],
    )
    item = Item.objects.create(collection=collection, library=b_library, title="Dế Mèn phiêu lưu ký", copies=2)
    rotation = Rotation.objects.create(
        collection=collection,
        owner=b_library,
        school_library=b_school_library,
        planned_dispatch_date=today,
        due_date=today + dt.timedelta(days=60),
    )
    route = Route.objects.create(
        collection=collection, name="Lộ trình", school_year="2026-2027", start_date=today, created_by=users["sysadmin"]
    )
    RouteStage.objects.create(route=route, position=1, school_library=b_school_library, duration_days=30)
    import_batch = ImportBatch.objects.create(
        collection=collection, source="xlsx", filename="sach.xlsx", created_by=users["sysadmin"]
    )

    notification = Notification.objects.create(user=b_officer, title="Nhắc việc")
    commitment = programme.commitments.first()
    amendment = ProgrammeAmendment.objects.create(
        programme=programme,
        commitment=commitment,
        new_code=commitment.code,
        new_text="Nội dung mới của điều khoản",
        reason="Cập nhật theo Luật Thư viện",
        proposed_by=focal,
    )
    pilot = Pilot.objects.create(
        programme=programme,
        title="Thí điểm thư viện thân thiện",
        school_level="primary",
        start_date=today - dt.timedelta(days=60),
        end_date=today + dt.timedelta(days=60),
        created_by=focal,
    )
    pilot.evidence.save("danh-gia.pdf", ContentFile(b"%PDF evaluation"), save=True)
    token, _secret = token_create(user=b_officer, name="Bảng tính của phòng", by=b_officer)
    reorganisation = Reorganisation.objects.create(
        code="thu-nghiem-2025", title="Sắp xếp thử nghiệm", effective_date=dt.date(2025, 7, 1)
    )
    feed = CalendarFeed.objects.create(user=b_officer)

    return {
        "organisation": b_school,
        "unit": b_school.district,
        "commitment": commitment,
        "amendment": amendment,
        "pilot": pilot,
        "indicator": reporting_period.indicators.first(),
        "token": token,
        "reorganisation": reorganisation,
        "programme": programme,
        "plan": plan,
        "activity": activity,
        "evidence": evidence,
        "local_plan": local_plan,
        "local_activity": local_activity,
        "meeting": meeting,
        "action_item": action_item,
        "inspection": inspection,
        "recommendation": recommendation,
        "proposal": proposal,
        "period": reporting_period,
        "report": report,
        "course": course,
        "session": session,
        "material": material,
        "staff": staff,
        "nomination": nomination,
        "certificate": certificate,
        "guidance": guidance,
        "guidance_version": guidance_version,
        "collection": collection,
        "item": item,
        "rotation": rotation,
        "route": route,
        "import_batch": import_batch,
        "notification": notification,
        "feed": feed,
    }
