"""Demo data for training: the staff registry of every demo school, courses in every state
(finished with certificates, one revoked; open with a waitlist; a pupils' course; extracurricular
classes at the Provincial and district libraries; a lower-secondary pilot; a cancelled course)
and guidance documents with versions. Idempotent: a course that exists is left as it is.
"""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from directory.demo import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M
from directory.models import Organisation, User
from directory.selectors import districts
from directory.services import slugify_vi

from . import services
from .models import (
    Certificate,
    Course,
    GuidanceDocument,
    GuidanceVersion,
    Nomination,
    NominationStateChange,
    StaffMember,
)

S = Nomination.State
QUALIFICATIONS = [
    (StaffMember.Qualification.LIBRARY_INTERMEDIATE, StaffMember.Employment.FULL_TIME, "Trung cấp Thư viện – Thiết bị"),
    (StaffMember.Qualification.OTHER, StaffMember.Employment.PART_TIME, "Giáo viên Ngữ văn kiêm nhiệm"),
    (StaffMember.Qualification.LIBRARY_COLLEGE, StaffMember.Employment.FULL_TIME, "Cao đẳng Thông tin – Thư viện"),
    (StaffMember.Qualification.CERTIFICATE, StaffMember.Employment.PART_TIME, "Chứng chỉ nghiệp vụ thư viện 3 tháng"),
    (StaffMember.Qualification.LIBRARY_UNIVERSITY, StaffMember.Employment.FULL_TIME, "Cử nhân Thông tin – Thư viện"),
    (StaffMember.Qualification.OTHER, StaffMember.Employment.PART_TIME, "Nhân viên văn thư kiêm thư viện"),
]


@transaction.atomic
def seed(stdout=None) -> dict:
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["thuvien", "vanphong"])}
    thuvien, vanphong = users.get("thuvien"), users.get("vanphong")
    if thuvien is None or vanphong is None:
        if stdout:
            stdout.write("  training: skipped (directory demo accounts missing)")
        return {}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["TVT", "VPSGD"])}
    staff_by_district = _staff_registry(today)
    nominators = {d.pk: User.objects.filter(username=f"gddt.{slugify_vi(d.name)}").first() for d in districts(on=today)}

    _finished_course(
        title="Tập huấn nghiệp vụ thư viện trường học năm 2026",
        organiser_user=thuvien,
        days=(-60, -59),
        staff_by_district=staff_by_district,
        nominators=nominators,
        per_district=2,
        revoke=True,
        today=today,
        syllabus="1. Thông tư 16/2022/TT-BGDĐT về tiêu chuẩn thư viện cơ sở giáo dục\n"
        "2. Phân loại tài liệu theo DDC 23, biên mục theo MARC 21\n"
        "3. Tổ chức không gian đọc thân thiện, thư viện mở\n"
        "4. Xây dựng kế hoạch hoạt động thư viện gắn với chương trình GDPT 2018",
    )
    _finished_course(
        title="Bồi dưỡng nghiệp vụ thư viện cho nhân viên mới (đợt 1/2026)",
        organiser_user=thuvien,
        days=(-250, -249, -248),
        staff_by_district=staff_by_district,
        nominators=nominators,
        per_district=1,
        revoke=False,
        today=today,
        min_sessions=2,
        syllabus="Nhập môn thư viện học; quy trình xử lý tài liệu; phục vụ bạn đọc là học sinh.",
    )
    # A short course of last year whose one-year certificates run out within the month: the
    # certificate-expiry reminder has something to say whenever the demo is seeded.
    _finished_course(
        title="Tập huấn ngắn hạn sử dụng phần mềm quản lý thư viện trường học",
        organiser_user=thuvien,
        days=(-344, -343),
        staff_by_district=staff_by_district,
        nominators=nominators,
        per_district=1,
        revoke=False,
        today=today,
        validity_months=12,
        syllabus="Cài đặt và khai thác phần mềm quản lý thư viện; in nhãn, mã vạch; thống kê mượn trả.",
    )
    _open_course_with_waitlist(thuvien, staff_by_district, nominators, today)
    _pupil_reading_course(vanphong, staff_by_district, nominators, today)
    _extracurricular_courses(thuvien, today)
    _pilot_course(vanphong, staff_by_district, nominators, today)
    _cancelled_course(thuvien, staff_by_district, nominators, today)
    _guidance(orgs["TVT"], thuvien)
    _link_plan_activities(today)
    result = {
        "courses": Course.objects.count(),
        "staff": StaffMember.objects.count(),
        "certificates": Certificate.objects.count(),
    }
    if stdout:
        stdout.write(
            f"  training: {result['courses']} courses, {result['staff']} staff, {result['certificates']} certificates"
        )
    return result


def person_name(seed: int) -> str:
    """Varied Kinh and Mường names (the directory's lists, walked differently so that staff do
    not share the names of the demo accounts)."""
    family = FAMILY[(seed * 5) % len(FAMILY)]
    if seed % 4:
        return f"{family} {MIDDLE_F[(seed // 3) % len(MIDDLE_F)]} {GIVEN_F[(seed * 7 + seed // 12) % len(GIVEN_F)]}"
    return f"{family} {MIDDLE_M[(seed // 4) % len(MIDDLE_M)]} {GIVEN_M[(seed * 5 + seed // 12) % len(GIVEN_M)]}"


# --- Staff registry -------------------------------------------------------------------------


def _staff_registry(today) -> dict[int, list[StaffMember]]:
    """One or two library staff per active demo school; the district's demo librarian account
    (tv.<district>) is the first school's first staff member."""
    by_district: dict[int, list[StaffMember]] = {}
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL, valid_to__isnull=True).select_related(
        "district"
    )
    librarians = {
        u.organisation.parent_id: u
        for u in User.objects.filter(role=User.Role.SCHOOL_LIBRARIAN).select_related("organisation")
        if u.organisation and u.organisation.parent_id
    }
    used_names = set(User.objects.filter(role=User.Role.SCHOOL_LIBRARIAN).values_list("full_name", flat=True))
    for index, school in enumerate(schools.order_by("district__code", "code")):
        count = 2 if index % 3 == 0 else 1
        for k in range(count):
            linked = librarians.get(school.pk) if k == 0 else None
            seed = 500 + index * 3 + k * 7
            name = linked.full_name if linked else person_name(seed)
            while not linked and name in used_names:
                seed += 11
                name = person_name(seed)
            used_names.add(name)
            qualification, employment, detail = QUALIFICATIONS[(index + k) % len(QUALIFICATIONS)]
            staff, _created = StaffMember.objects.get_or_create(
                school=school,
                full_name=name,
                defaults={
                    "employment": employment,
                    "qualification": qualification,
                    "qualification_detail": detail,
                    "position": "Nhân viên thư viện" if employment == "full_time" else "Giáo viên kiêm nhiệm thư viện",
                    "phone": f"09{(index * 7919 + k * 131) % 100000000:08d}",
                    "email": linked.email if linked else "",
                    "user": linked,
                },
            )
            members = by_district.setdefault(school.district_id, [])
            if staff not in members:
                members.append(staff)
    return by_district


# --- Courses ---------------------------------------------------------------------------------


def _course(title: str, by: User, **fields) -> tuple[Course, bool]:
    existing = Course.objects.filter(title=title).first()
    if existing:
        return existing, False
    return services.course_create(title=title, by=by, **fields), True


def _sessions(course, by, days, *, place, trainer, start=dt.time(8, 0), end=dt.time(11, 30), venue=None, pupils=()):
    today = timezone.localdate()
    for index, day in enumerate(days):
        services.session_save(
            course=course,
            date=today + dt.timedelta(days=day),
            start_time=start,
            end_time=end,
            place=place,
            venue=venue,
            trainer=trainer,
            pupil_count=pupils[index] if index < len(pupils) else 0,
            by=by,
        )


def _backdate(course: Course, first_day: dt.date, finished_at) -> None:
    """Demo only: place the sign-up history of a course that ran in the past at plausible
    moments before its first session (the services stamp everything "now")."""
    tz = timezone.get_current_timezone()

    def at(days_before: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(first_day - dt.timedelta(days=days_before), dt.time(hour, 0), tzinfo=tz)

    changes = NominationStateChange.objects.filter(nomination__course=course)
    changes.filter(state=S.REQUESTED).update(at=at(21, 9))
    changes.filter(state__in=[S.APPROVED, S.BOOKED, S.WAITLISTED, S.DECLINED]).update(at=at(14, 15))
    changes.filter(state=S.CANCELLED).update(at=at(7, 10))
    if finished_at is not None:
        changes.filter(state__in=[S.NO_SHOW, S.PARTIALLY_ATTENDED, S.FULLY_ATTENDED]).update(
            at=finished_at + dt.timedelta(hours=1)
        )
    Nomination.objects.filter(course=course).update(created_at=at(21, 9))


def _people(staff_by_district, per_district, offset=0):
    for district_id, staff in staff_by_district.items():
        for member in staff[offset : offset + per_district]:
            yield district_id, member


def _finished_course(
    *,
    title,
    organiser_user,
    days,
    staff_by_district,
    nominators,
    per_district,
    revoke,
    today,
    syllabus,
    min_sessions=None,
    validity_months=36,
):
    course, created = _course(
        title,
        organiser_user,
        kind=Course.Kind.LIBRARY_SKILLS,
        audience="Nhân viên thư viện trường học (chuyên trách và kiêm nhiệm)",
        description="Khóa bồi dưỡng do Thư viện tỉnh tổ chức theo mục IV.2.c của chương trình phối hợp.",
        syllabus=syllabus,
        capacity=30,
        completion_rule=Course.CompletionRule.MIN_SESSIONS if min_sessions else Course.CompletionRule.ALL_SESSIONS,
        min_sessions=min_sessions,
        certificate_validity_months=validity_months,
    )
    if not created:
        return
    _sessions(
        course,
        organiser_user,
        days,
        place="Hội trường Thư viện tỉnh Hòa Bình, đường Cù Chính Lan, TP Hòa Bình",
        trainer="ThS. Quách Thị Lan Hương; CN. Đinh Văn Toản",
        end=dt.time(16, 30),
    )
    services.course_publish(course=course, by=organiser_user)
    nominations = []
    for district_id, staff in _people(staff_by_district, per_district):
        by = nominators.get(district_id)
        if by is None:
            continue
        n = services.nomination_create(course=course, staff=staff, by=by)
        services.nomination_approve(nomination=n, by=organiser_user)
        nominations.append(n)
    sessions = list(course.sessions.all())
    for index, n in enumerate(nominations):
        attended = len(sessions)
        if index % 9 == 4:
            attended = len(sessions) - 1  # missed one day
        elif index % 9 == 7:
            attended = 0  # did not come
        for session in sessions[:attended]:
            services.attendance_mark(session=session, nomination=n, present=True, by=organiser_user)
        for session in sessions[attended:]:
            services.attendance_mark(session=session, nomination=n, present=False, by=organiser_user)
    services.course_finish(course=course, by=organiser_user)
    _backdate(course, sessions[0].date, sessions[-1].ends_at)
    issued = sessions[-1].date + dt.timedelta(days=3)
    for certificate in Certificate.objects.filter(nomination__course=course):
        certificate.issued_on = issued
        certificate.valid_until = services._add_months(issued, course.certificate_validity_months)
        certificate.save(update_fields=["issued_on", "valid_until"])
    Course.objects.filter(pk=course.pk).update(nomination_deadline=sessions[0].date - dt.timedelta(days=10))
    if revoke:
        certificate = Certificate.objects.filter(nomination__course=course).order_by("pk").last()
        if certificate:
            services.certificate_revoke(
                certificate=certificate,
                by=organiser_user,
                reason="Học viên không tham dự buổi thực hành, điểm danh bị ghi nhầm",
            )
            revoked_on = issued + dt.timedelta(days=12)
            Certificate.objects.filter(pk=certificate.pk).update(
                revoked_at=dt.datetime.combine(revoked_on, dt.time(9, 30), tzinfo=timezone.get_current_timezone())
            )


def _open_course_with_waitlist(thuvien, staff_by_district, nominators, today):
    course, created = _course(
        "Bồi dưỡng kỹ năng số hóa và quản lý thư viện trường học bằng phần mềm",
        thuvien,
        kind=Course.Kind.LIBRARY_SKILLS,
        audience="Nhân viên thư viện các trường tiểu học, THCS",
        description="Thực hành số hóa tài liệu, quản lý mượn trả bằng phần mềm, khai thác thư viện số dùng chung.",
        syllabus="Buổi 1: Phần mềm quản lý thư viện – biên mục, in nhãn, mã vạch\nBuổi 2: Số hóa tài liệu địa chí, thư viện số",
        capacity=6,
        completion_rule=Course.CompletionRule.ALL_SESSIONS,
        certificate_validity_months=36,
    )
    if not created:
        return
    _sessions(
        course,
        thuvien,
        (21, 22),
        place="Phòng máy tính, Thư viện tỉnh Hòa Bình",
        trainer="KS. Bùi Quang Hưng",
        start=dt.time(7, 30),
        end=dt.time(16, 30),
    )
    services.course_publish(course=course, by=thuvien)
    people = list(_people(staff_by_district, 2, offset=1))
    made = []
    for district_id, staff in people[:11]:
        by = nominators.get(district_id)
        if by:
            made.append(services.nomination_create(course=course, staff=staff, by=by))
    # 6 booked, then 2 waiting in order, 1 declined, 1 withdrawn (its place went to the first
    # waiting), the rest still awaiting a decision.
    for n in made[:9]:
        services.nomination_approve(nomination=n, by=thuvien)
    if len(made) > 10:
        services.nomination_decline(nomination=made[9], by=thuvien, reason="Trường đã có người tham gia đợt trước.")
    if made:
        services.nomination_cancel(nomination=made[2], by=made[2].nominated_by, reason="Trùng lịch coi thi học kỳ I")
    Course.objects.filter(pk=course.pk).update(nomination_deadline=today + dt.timedelta(days=10))


def _pupil_reading_course(vanphong, staff_by_district, nominators, today):
    course, created = _course(
        "Giới thiệu sách và phương pháp đọc cho học sinh tiểu học",
        vanphong,
        kind=Course.Kind.PUPIL_READING,
        audience="Giáo viên, nhân viên thư viện trường tiểu học",
        description="Hướng dẫn tổ chức giờ giới thiệu sách, kể chuyện theo sách, đọc hiểu cho học sinh tiểu học (IV.3.c).",
        syllabus="Kỹ thuật giới thiệu sách; tổ chức tiết đọc thư viện; câu lạc bộ đọc sách.",
        capacity=0,
        completion_rule=Course.CompletionRule.ALL_SESSIONS,
    )
    if not created:
        return
    _sessions(course, vanphong, (-7, 14), place="Hội trường Sở GD&ĐT Hòa Bình", trainer="ThS. Nguyễn Thị Minh Nguyệt")
    services.course_publish(course=course, by=vanphong)
    made = []
    # Every district's demo librarian (tv.<district>) is its first staff member: all booked.
    for district_id, staff in _people(staff_by_district, 1):
        by = nominators.get(district_id)
        if by:
            n = services.nomination_create(course=course, staff=staff, by=by)
            services.nomination_approve(nomination=n, by=vanphong)
            made.append(n)
    past = course.sessions.order_by("date").first()
    for index, n in enumerate(made):
        services.attendance_mark(session=past, nomination=n, present=index != 3, by=vanphong)
    services.course_close(course=course, by=vanphong)
    _backdate(course, past.date, None)
    Course.objects.filter(pk=course.pk).update(nomination_deadline=today - dt.timedelta(days=12))


def _extracurricular_courses(thuvien, today):
    tvt = Organisation.objects.get(code="TVT")
    course, created = _course(
        "Giờ học ngoại khóa “Em yêu thư viện” tại Thư viện tỉnh",
        thuvien,
        kind=Course.Kind.EXTRACURRICULAR,
        audience="Học sinh tiểu học thành phố Hòa Bình",
        description="Học sinh tham quan thư viện, học cách tra cứu, nghe giới thiệu sách và đọc tại chỗ.",
        capacity=0,
    )
    if created:
        _sessions(
            course,
            thuvien,
            (-40, -26, -12, 9),
            place="Phòng đọc thiếu nhi, Thư viện tỉnh Hòa Bình",
            trainer="Cán bộ phòng Thiếu nhi",
            venue=tvt,
            pupils=(42, 38, 45),
            start=dt.time(14, 0),
            end=dt.time(16, 0),
        )
        services.course_publish(course=course, by=thuvien)
    course, created = _course(
        "Giờ học ngoại khóa “Đọc sách cùng em” tại thư viện các huyện, năm học 2026-2027",
        thuvien,
        kind=Course.Kind.EXTRACURRICULAR,
        audience="Học sinh tiểu học và THCS các huyện",
        description="Mỗi thư viện huyện tổ chức giờ học ngoại khóa cho học sinh các trường lân cận (IV.3.c).",
        capacity=0,
    )
    if not created:
        return
    libraries = Organisation.objects.filter(kind=Organisation.Kind.PUBLIC_LIBRARY, valid_to__isnull=True).order_by(
        "district__code"
    )
    for index, library in enumerate(libraries):
        for day, pupils in ((-30 - index, 30 + index * 3), (-9 - index, 25 + index * 2), (15 + index, 0)):
            services.session_save(
                course=course,
                date=today + dt.timedelta(days=day),
                start_time=dt.time(14, 0),
                end_time=dt.time(15, 30),
                place=library.name,
                venue=library,
                trainer="Cán bộ thư viện huyện",
                pupil_count=pupils,
                by=thuvien,
            )
    services.course_publish(course=course, by=thuvien)


def _pilot_course(vanphong, staff_by_district, nominators, today):
    course, created = _course(
        "Thí điểm mô hình thư viện thân thiện cấp Trung học cơ sở",
        vanphong,
        kind=Course.Kind.PILOT,
        school_level=Organisation.SchoolLevel.LOWER_SECONDARY,
        audience="Nhân viên thư viện và tổ trưởng chuyên môn các trường THCS thí điểm",
        description="Thí điểm tại một số trường THCS trước khi nhân rộng (IV.3.c).",
        syllabus="Bố trí không gian đọc mở; tiết đọc thư viện theo chương trình GDPT 2018; đánh giá sau thí điểm.",
        capacity=12,
        completion_rule=Course.CompletionRule.MIN_SESSIONS,
        min_sessions=2,
    )
    if not created:
        return
    _sessions(
        course,
        vanphong,
        (30, 31, 45),
        place="Trường THCS Lê Quý Đôn, TP Hòa Bình",
        trainer="Chuyên gia dự án Room to Read",
    )
    services.course_publish(course=course, by=vanphong)
    secondary = [
        (d, s)
        for d, staff in staff_by_district.items()
        for s in staff
        if s.school.school_level == Organisation.SchoolLevel.LOWER_SECONDARY
    ]
    for district_id, staff in secondary[:5]:
        by = nominators.get(district_id)
        if by:
            services.nomination_create(course=course, staff=staff, by=by, note="Trường đăng ký thí điểm")
    Course.objects.filter(pk=course.pk).update(nomination_deadline=today + dt.timedelta(days=20))


def _cancelled_course(thuvien, staff_by_district, nominators, today):
    course, created = _course(
        "Tập huấn sử dụng phần mềm quản lý thư viện (đợt 2)",
        thuvien,
        kind=Course.Kind.LIBRARY_SKILLS,
        audience="Nhân viên thư viện trường học",
        capacity=10,
    )
    if not created:
        return
    _sessions(course, thuvien, (5,), place="Thư viện tỉnh Hòa Bình", trainer="KS. Bùi Quang Hưng")
    services.course_publish(course=course, by=thuvien)
    for district_id, staff in list(_people(staff_by_district, 1))[6:9]:
        by = nominators.get(district_id)
        if by:
            services.nomination_approve(
                nomination=services.nomination_create(course=course, staff=staff, by=by), by=thuvien
            )
    services.course_cancel(
        course=course, by=thuvien, reason="Nội dung đã gộp vào khóa bồi dưỡng kỹ năng số hóa; đề nghị đăng ký khóa đó."
    )


def _link_plan_activities(today) -> None:
    """Tie this year's courses to the activity of the year's plan (in force) they fulfil."""
    from core.search import normalise
    from programs.models import PlanActivity

    links = {Course.Kind.LIBRARY_SKILLS: "tap huan nghiep vu", Course.Kind.EXTRACURRICULAR: "ngoai khoa"}
    for kind, term in links.items():
        activity = (
            PlanActivity.objects.filter(plan__year=today.year, title__unaccent__icontains=normalise(term))
            .exclude(status=PlanActivity.Status.CANCELLED)
            .order_by("-plan__status", "-pk")
            .filter(plan__status="in_force")
            .first()
        )
        if activity is None:
            continue
        this_year = Course.objects.filter(kind=kind, sessions__date__year=today.year).values("pk")
        Course.objects.filter(pk__in=this_year, plan_activity__isnull=True).exclude(
            status=Course.Status.CANCELLED
        ).update(plan_activity=activity)


# --- Guidance documents -----------------------------------------------------------------------

GUIDANCE = [
    (
        "Hướng dẫn tổ chức và hoạt động thư viện trường học theo Thông tư 16/2022/TT-BGDĐT",
        GuidanceDocument.Audience.SCHOOL_LIBRARY_STAFF,
        "Tiêu chuẩn thư viện mức 1, mức 2; hồ sơ, sổ sách; kế hoạch hoạt động năm học.",
        [("1.0", "Ban hành lần đầu", -400), ("2.0", "Cập nhật theo Thông tư 16/2022 và mẫu báo cáo mới", -90)],
    ),
    (
        "Sổ tay phân loại và biên mục tài liệu cho thư viện trường học (DDC 23, MARC 21)",
        GuidanceDocument.Audience.SCHOOL_LIBRARY_STAFF,
        "Bảng phân loại rút gọn cho sách thiếu nhi, ví dụ biên mục, cách in nhãn gáy.",
        [
            ("1.0", "Ban hành lần đầu", -300),
            ("1.1", "Sửa ví dụ biên mục sách giáo khoa", -120),
            ("1.2", "Bổ sung phần tài liệu số", -20),
        ],
    ),
    (
        "Hướng dẫn tổ chức giờ học ngoại khóa tại thư viện công cộng",
        GuidanceDocument.Audience.PUBLIC_LIBRARY_STAFF,
        "Kịch bản mẫu cho giờ học ngoại khóa, phiếu đăng ký của trường, cách thống kê lượt học sinh.",
        [("1.0", "Ban hành lần đầu", -150)],
    ),
    (
        "Hướng dẫn luân chuyển sách từ thư viện công cộng đến thư viện trường học",
        GuidanceDocument.Audience.MANAGERS,
        "Quy trình lập bộ sách luân chuyển, giao nhận, bảo quản và thu hồi.",
        [("1.0", "Ban hành lần đầu", -200)],
    ),
]


def _guidance_pdf(title: str, version: str) -> bytes:
    from fpdf import FPDF

    from .certificates import FONTS

    pdf = FPDF()
    pdf.add_font("DejaVuSans", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVuSans", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVuSans", "B", 14)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVuSans", "", 11)
    pdf.multi_cell(0, 6, f"Phiên bản {version} – Thư viện tỉnh Hòa Bình\n\nTài liệu minh họa của cổng phối hợp.")
    return bytes(pdf.output())


def _guidance(publisher: Organisation, by: User) -> None:
    today = timezone.localdate()
    for index, (title, audience, summary, versions) in enumerate(GUIDANCE):
        document, _created = GuidanceDocument.objects.get_or_create(
            title=title, defaults={"audience": audience, "summary": summary, "publisher": publisher}
        )
        for number, (version, notes, day) in enumerate(versions):
            if GuidanceVersion.objects.filter(document=document, version=version).exists():
                continue
            item = GuidanceVersion(
                document=document,
                version=version,
                notes=notes,
                published_on=today + dt.timedelta(days=day),
                uploaded_by=by,
            )
            slug = f"huong-dan-{index + 1}-v{version}.pdf"
            item.file.save(slug, ContentFile(io.BytesIO(_guidance_pdf(title, version)).getvalue()), save=False)
            item.download_count = (index + 3) * (number + 2) * 7
            item.save()
