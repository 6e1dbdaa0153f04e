"""Demo data of the programs app: the 2019-2020 programme with its history, a renewal covering
the current year, annual plans (2019, 2020 closed; the current year in force; next year
awaiting the Directors), local plans, meetings with action items, inspections and proposals.

Idempotent: every record is found by its natural key before it is created.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from directory.models import Organisation, User

from .models import (
    ActionItem,
    ActivityProgress,
    AnnualPlan,
    Inspection,
    LocalActivity,
    LocalPlan,
    Meeting,
    PlanActivity,
    PlanDecision,
    ProgressEvidence,
    Proposal,
    Recommendation,
    RecommendationUpdate,
)
from .services import programme_load, programme_renew

# Activities of a year's plan: (title, commitment codes, lead org code, partner codes, months,
# target, unit, funding side).
ACTIVITIES = [
    (
        "Luân chuyển sách, báo từ Thư viện tỉnh và thư viện huyện tới thư viện trường học",
        ["I.1.c", "IV.2.b"],
        "TVT",
        ["VPSGD"],
        (2, 11),
        2500,
        "cuốn sách",
        "docst",
    ),
    (
        "Tập huấn nghiệp vụ thư viện cho nhân viên thư viện trường học",
        ["IV.1.b", "IV.2.c", "IV.3.b"],
        "TVT",
        ["VPSGD"],
        (4, 8),
        3,
        "lớp tập huấn",
        "joint",
    ),
    (
        "Tổ chức giờ học ngoại khóa tại Thư viện tỉnh cho học sinh tiểu học",
        ["IV.3.c", "III.3"],
        "VPSGD",
        ["TVT"],
        (3, 12),
        40,
        "buổi",
        "doet",
    ),
    (
        "Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam 21/4 trong trường học",
        ["IV.1.a", "IV.2.d"],
        "TVT",
        ["VPSGD"],
        (4, 4),
        10,
        "trường",
        "joint",
    ),
    (
        "Khảo sát, kiểm tra thực hiện Chương trình tại các huyện",
        ["IV.1.c", "I.2"],
        "VPSGD",
        ["TVT"],
        (9, 11),
        4,
        "huyện",
        "joint",
    ),
    (
        "Tổng hợp báo cáo thống kê hoạt động thư viện trường học 6 tháng",
        ["IV.2.a", "IV.3.b", "V.4"],
        "VPSGD",
        ["TVT"],
        (6, 12),
        2,
        "kỳ báo cáo",
        "doet",
    ),
    (
        "Họp trao đổi thông tin định kỳ và hội nghị sơ kết, tổng kết",
        ["V.5", "V.6", "I.1.a"],
        "TVT",
        ["VPSGD"],
        (6, 12),
        3,
        "cuộc họp",
        "joint",
    ),
    (
        "Xây dựng mô hình thư viện trường học liên kết với thư viện cộng đồng",
        ["IV.1.e", "I.1.b"],
        "TVT",
        ["VPSGD"],
        (5, 12),
        2,
        "mô hình",
        "joint",
    ),
]

LOCAL_DISTRICTS = [("157", "submitted"), ("156", "submitted"), ("155", "submitted"), ("148", "draft"), ("150", "draft")]


def _aware(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _org(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first()


def _evidence_pdf(text: str) -> bytes:
    import logging
    from pathlib import Path

    from fpdf import FPDF

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    fonts = Path(__file__).resolve().parent.parent / "core" / "fonts"
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


@transaction.atomic
def seed(stdout=None) -> dict:
    today = timezone.localdate()
    thuvien = _user("thuvien") or User.objects.filter(role=User.Role.FOCAL_OFFICER).first()
    vanphong = _user("vanphong") or thuvien
    gd_vh = _user("giamdoc.vhttdl")
    gd_gd = _user("giamdoc.sgddt")
    if thuvien is None:
        if stdout:
            stdout.write("  programs: skipped (no focal officer account; seed the directory first)")
        return {}

    original = programme_load()
    start = today.year - (today.year - 2021) % 5
    renewal = programme_renew(
        source=original,
        title=(
            "Chương trình phối hợp công tác trong việc nâng cao hiệu quả quản lý nhà nước về thư viện "
            f"và đẩy mạnh các hoạt động giáo dục, học tập suốt đời trong các thư viện giai đoạn {start}-{start + 4}"
        ),
        signed_on=min(date(start, 2, 20), today),
        valid_from=start,
        valid_to=start + 4,
    )
    if not renewal.preamble.startswith("[Gia hạn]"):
        renewal.preamble = (
            f"[Gia hạn] Chương trình giai đoạn {start}-{start + 4} kế tiếp Chương trình ký ngày 18/3/2019; "
            "các nội dung phối hợp được giữ nguyên như văn bản năm 2019."
        )
        renewal.save(update_fields=["preamble"])

    departments = {o.code: o for o in Organisation.objects.filter(code__in=["SVHTTDL", "SGDDT"])}
    plans = {}
    for year, programme in ((2019, original), (2020, original), (today.year, renewal)):
        closed = year < today.year
        plans[year] = _plan(
            programme=programme,
            year=year,
            closed=closed,
            by=thuvien if year != 2020 else vanphong,
            departments=departments,
            directors={"SVHTTDL": gd_vh, "SGDDT": gd_gd},
            returned_first=(year == today.year),
        )
    _progress(plans, today, thuvien, vanphong)
    awaiting = _next_year_plan(renewal, today, thuvien, vanphong)
    meetings = _meetings(original, renewal, today, thuvien, vanphong, gd_vh, gd_gd)
    for year in (2019, 2020):
        plan = plans[year]
        final = meetings.get(("final_review", year))
        if final and plan.closing_meeting_id != final.pk:
            plan.closing_meeting = final
            plan.save(update_fields=["closing_meeting"])
    _local_plans(plans[today.year], today)
    _inspections(original, renewal, today, thuvien)
    _proposals(original, renewal, today)
    _amendments(renewal, thuvien, vanphong, gd_vh, gd_gd)
    _pilots(original, renewal, today, vanphong, gd_gd)
    if stdout:
        stdout.write(
            f"  programs: 2 programmes, {AnnualPlan.objects.count()} plans "
            f"({PlanActivity.objects.count()} activities), {Meeting.objects.count()} meetings, "
            f"{Inspection.objects.count()} inspections, {Proposal.objects.count()} proposals, "
            f"{LocalPlan.objects.count()} local plans; plan awaiting Directors: {awaiting.title}"
        )
    return {"plans": AnnualPlan.objects.count()}


def _plan(*, programme, year, closed, by, departments, directors, returned_first) -> AnnualPlan:
    plan, created = AnnualPlan.objects.get_or_create(
        year=year,
        revision=0,
        defaults={
            "programme": programme,
            "title": f"Kế hoạch thực hiện Chương trình phối hợp năm {year}",
            "summary": (
                "Cụ thể hóa các nội dung của Chương trình phối hợp giữa Sở VHTTDL và Sở GD&ĐT trong năm "
                f"{year}: đẩy mạnh luân chuyển sách, báo tới thư viện trường học, bồi dưỡng nghiệp vụ cho "
                "nhân viên thư viện trường học và phát triển văn hóa đọc trong nhà trường."
            ),
            "created_by": by,
            "status": AnnualPlan.Status.DRAFT,
        },
    )
    if not created:
        return plan
    codes = {c.code: c for c in programme.commitments.all()}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["TVT", "VPSGD"])}
    # The current year leaves some commitments deliberately without activities (coverage gaps).
    chosen = ACTIVITIES if closed else ACTIVITIES[:6]
    for position, (title, commitment_codes, lead, partners, months, target, unit, side) in enumerate(chosen, 1):
        first, last = months
        end = date(year, last, 28)
        activity = PlanActivity.objects.create(
            plan=plan,
            position=position,
            title=title,
            description="",
            lead_unit=orgs[lead],
            start_date=date(year, first, 1),
            end_date=end,
            target_value=Decimal(target * (1 if year < 2026 else 1)),
            target_unit=unit,
            funding_side=side,
            status=PlanActivity.Status.DONE if closed else PlanActivity.Status.PLANNED,
        )
        activity.commitments.set([codes[c] for c in commitment_codes if c in codes])
        activity.partner_units.set([orgs[p] for p in partners])
    submitted = _aware(date(year, 1, 10), 9)
    rounds = 1
    if returned_first and directors.get("SGDDT"):
        PlanDecision.objects.create(
            plan=plan,
            department=departments["SVHTTDL"],
            submission_round=1,
            decision=PlanDecision.Decision.APPROVED,
            decided_by=directors["SVHTTDL"] or by,
            decided_at=submitted + timedelta(days=2),
        )
        PlanDecision.objects.create(
            plan=plan,
            department=departments["SGDDT"],
            submission_round=1,
            decision=PlanDecision.Decision.RETURNED,
            comment="Đề nghị bổ sung chỉ tiêu số buổi học ngoại khóa và làm rõ kinh phí của từng Sở.",
            decided_by=directors["SGDDT"],
            decided_at=submitted + timedelta(days=3),
        )
        rounds = 2
    for code in ("SVHTTDL", "SGDDT"):
        PlanDecision.objects.create(
            plan=plan,
            department=departments[code],
            submission_round=rounds,
            decision=PlanDecision.Decision.APPROVED,
            comment="Đồng ý." if code == "SVHTTDL" else "",
            decided_by=directors.get(code) or by,
            decided_at=submitted + timedelta(days=6 + (code == "SGDDT")),
        )
    plan.status = AnnualPlan.Status.CLOSED if closed else AnnualPlan.Status.IN_FORCE
    plan.submission_round = rounds
    plan.submitted_at = submitted + timedelta(days=4 if rounds == 2 else 0)
    plan.in_force_at = submitted + timedelta(days=7)
    plan.closed_at = _aware(date(year, 12, 20), 16) if closed else None
    plan.save()
    return plan


PROGRESS_NOTES = [
    "Đã luân chuyển sách tới các trường tiểu học, THCS vùng sâu; các trường xác nhận đủ số lượng.",
    "Đã tổ chức lớp tập huấn tại Thư viện tỉnh; học viên được cấp giấy chứng nhận.",
    "Các buổi ngoại khóa được học sinh hưởng ứng tích cực, nhiều em đăng ký thẻ thư viện.",
    "Tổ chức trưng bày sách, thi kể chuyện theo sách, tặng sách cho thư viện trường.",
]


def _progress(plans, today, thuvien, vanphong) -> None:
    for year, plan in plans.items():
        for activity in plan.activities.all():
            if activity.progress_updates.exists():
                continue
            if year < today.year:
                ActivityProgress.objects.create(
                    activity=activity,
                    reported_on=date(year, 12, 15),
                    percent=100,
                    achieved_value=activity.target_value,
                    narrative="Hoàn thành theo kế hoạch, đã báo cáo tại hội nghị tổng kết.",
                    author=thuvien,
                )
                continue
            # Current year: progress on the first four activities, none yet on the others.
            if activity.position > 4:
                continue
            share = [80, 100, 55, 100][activity.position - 1]
            achieved = (activity.target_value or 0) * share // 100
            progress = ActivityProgress.objects.create(
                activity=activity,
                reported_on=min(today, date(year, 10, 30)),
                percent=share,
                achieved_value=achieved,
                narrative=PROGRESS_NOTES[activity.position - 1],
                author=thuvien if activity.lead_unit.code == "TVT" else vanphong,
            )
            if activity.position == 1:
                evidence = ProgressEvidence(progress=progress, title="bien-ban-ban-giao-sach.pdf")
                evidence.file.save(
                    "bien-ban-ban-giao-sach.pdf",
                    ContentFile(
                        _evidence_pdf(
                            f"BIÊN BẢN BÀN GIAO SÁCH LUÂN CHUYỂN\nNăm {year}\n"
                            f"Thư viện tỉnh Hòa Bình bàn giao {achieved} cuốn sách cho các thư viện trường học."
                        )
                    ),
                    save=True,
                )
            activity.status = PlanActivity.Status.DONE if share == 100 else PlanActivity.Status.IN_PROGRESS
            activity.save(update_fields=["status"])


def _next_year_plan(programme, today, thuvien, vanphong) -> AnnualPlan:
    year = today.year + 1
    if not programme.covers(year):
        programme.valid_to = year
        programme.save(update_fields=["valid_to"])
    plan, created = AnnualPlan.objects.get_or_create(
        year=year,
        revision=0,
        defaults={
            "programme": programme,
            "title": f"Kế hoạch thực hiện Chương trình phối hợp năm {year}",
            "summary": "Dự thảo do hai đơn vị đầu mối xây dựng sau hội nghị sơ kết, trình Giám đốc hai Sở.",
            "created_by": thuvien,
            "status": AnnualPlan.Status.SUBMITTED,
            "submission_round": 1,
            "submitted_at": timezone.now() - timedelta(days=2),
        },
    )
    if created:
        codes = {c.code: c for c in programme.commitments.all()}
        orgs = {o.code: o for o in Organisation.objects.filter(code__in=["TVT", "VPSGD"])}
        for position, (title, commitment_codes, lead, partners, months, target, unit, side) in enumerate(
            ACTIVITIES[:5], 1
        ):
            activity = PlanActivity.objects.create(
                plan=plan,
                position=position,
                title=title,
                lead_unit=orgs[lead],
                start_date=date(year, months[0], 1),
                end_date=date(year, months[1], 28),
                target_value=Decimal(target),
                target_unit=unit,
                funding_side=side,
            )
            activity.commitments.set([codes[c] for c in commitment_codes])
            activity.partner_units.set([orgs[p] for p in partners])
    return plan


def _meetings(original, renewal, today, thuvien, vanphong, gd_vh, gd_gd) -> dict:
    focal_orgs = list(Organisation.objects.filter(code__in=["TVT", "VPSGD", "SVHTTDL", "SGDDT"]))
    district_offices = list(
        Organisation.objects.filter(kind__in=Organisation.DISTRICT_OFFICE_KINDS, valid_to__isnull=True)
    )
    people = [u for u in (thuvien, vanphong, gd_vh, gd_gd) if u]
    year = today.year
    specs = []
    for y, programme in ((2019, original), (2020, original)):
        specs += [
            ("exchange", y, programme, date(y, 7, 12), "Phòng họp Thư viện tỉnh Hòa Bình", False),
            ("final_review", y, programme, date(y, 12, 18), "Hội trường Sở Văn hóa, Thể thao và Du lịch", True),
        ]
    specs += [
        ("exchange", year, renewal, date(year, 6, 20), "Phòng họp Văn phòng Sở Giáo dục và Đào tạo", False),
        ("preliminary_review", year, renewal, date(year, 7, 25), "Hội trường Sở Giáo dục và Đào tạo", True),
    ]
    result = {}
    for kind, y, programme, day, location, with_districts in specs:
        title = {
            "exchange": f"Họp trao đổi thông tin 6 tháng đầu năm {y}",
            "preliminary_review": f"Hội nghị sơ kết 6 tháng thực hiện Chương trình phối hợp năm {y}",
            "final_review": f"Hội nghị tổng kết thực hiện Chương trình phối hợp năm {y}",
        }[kind]
        meeting = _meeting(
            programme,
            kind,
            title,
            _aware(day, 8),
            _aware(day, 11, 30),
            location,
            thuvien,
            orgs=focal_orgs + (district_offices if with_districts else []),
            people=people,
            decisions=(
                "1. Thống nhất tiếp tục luân chuyển sách tới các trường vùng khó khăn.\n"
                "2. Các phòng GD&ĐT đôn đốc các trường gửi báo cáo thống kê đúng hạn.\n"
                "3. Thư viện tỉnh chủ trì tổng hợp kết quả, báo cáo lãnh đạo hai Sở."
            ),
        )
        result[(kind, y)] = meeting
        _actions(meeting, y, today, thuvien, vanphong)
    # The next information-exchange meeting, within two weeks, with every district office.
    upcoming_day = today + timedelta(days=9)
    upcoming = _meeting(
        renewal,
        "exchange",
        f"Họp trao đổi thông tin 6 tháng cuối năm {year}",
        _aware(upcoming_day, 8),
        _aware(upcoming_day, 11),
        "Phòng họp tầng 2, Thư viện tỉnh Hòa Bình, đường Trần Hưng Đạo, TP. Hòa Bình",
        thuvien,
        orgs=focal_orgs + district_offices,
        people=people,
        agenda=(
            "1. Văn phòng Sở GD&ĐT báo cáo tình hình thư viện trường học 6 tháng cuối năm.\n"
            "2. Thư viện tỉnh báo cáo kết quả luân chuyển sách.\n"
            "3. Thảo luận dự thảo kế hoạch năm sau.\n"
            "4. Kết luận của lãnh đạo hai đơn vị đầu mối."
        ),
    )
    result[("upcoming", year)] = upcoming
    final_day = date(year, 12, 18) if date(year, 12, 18) > upcoming_day else upcoming_day + timedelta(days=20)
    result[("final_review", year)] = _meeting(
        renewal,
        "final_review",
        f"Hội nghị tổng kết thực hiện Chương trình phối hợp năm {year}",
        _aware(final_day, 8),
        _aware(final_day, 16, 30),
        "Hội trường Sở Văn hóa, Thể thao và Du lịch",
        thuvien,
        orgs=focal_orgs + district_offices,
        people=people,
        agenda="Tổng kết năm, khen thưởng tập thể, cá nhân tiêu biểu; thống nhất kế hoạch năm sau.",
    )
    return result


def _meeting(programme, kind, title, starts, ends, location, by, *, orgs, people, agenda="", decisions=""):
    meeting, created = Meeting.objects.get_or_create(
        programme=programme,
        title=title,
        defaults={
            "kind": kind,
            "starts_at": starts,
            "ends_at": ends,
            "location": location,
            "agenda": agenda
            or "1. Đánh giá kết quả thực hiện kế hoạch.\n2. Trao đổi khó khăn, vướng mắc.\n3. Thống nhất nhiệm vụ.",
            "decisions": decisions,
            "created_by": by,
            "other_participants": "Đại diện lãnh đạo hai đơn vị đầu mối và các phòng chuyên môn.",
        },
    )
    if created:
        meeting.participant_organisations.set(orgs)
        meeting.participants.set(people)
    return meeting


def _actions(meeting, year, today, thuvien, vanphong) -> None:
    if meeting.actions.exists():
        return
    past = year < today.year
    lac_son = _org("GDDT-157")
    tvt, vp = _org("TVT"), _org("VPSGD")
    base = meeting.starts_at.date()
    items = [
        ("Tổng hợp danh sách trường có nhu cầu nhận sách luân chuyển", tvt, thuvien, base + timedelta(days=20), True),
        (
            "Đôn đốc các phòng GD&ĐT nộp báo cáo thống kê thư viện trường học",
            vp,
            vanphong,
            base + timedelta(days=30),
            past,
        ),
    ]
    if not past:
        items += [
            (
                "Gửi dự thảo kế hoạch năm sau tới các phòng, trung tâm cấp huyện",
                tvt,
                thuvien,
                today + timedelta(days=5),
                False,
            ),
            (
                "Rà soát nhân viên thư viện trường học chưa qua bồi dưỡng nghiệp vụ",
                lac_son,
                None,
                today - timedelta(days=3),
                False,
            ),
        ]
    for description, org, owner, due, done in items:
        if org is None:
            continue
        ActionItem.objects.create(
            meeting=meeting,
            description=description,
            owner_organisation=org,
            owner=owner,
            due_date=due,
            done=done,
            done_at=_aware(due, 16) if done else None,
        )


def _local_plans(plan, today) -> None:
    activities = list(plan.activities.order_by("position"))
    if not activities:
        return
    for code, status in LOCAL_DISTRICTS:
        for prefix in ("GDDT", "TTVH"):
            org = _org(f"{prefix}-{code}")
            if org is None or org.valid_to:
                continue
            creator = org.members.filter(is_active=True).order_by("is_head", "pk").first()
            if creator is None:
                continue
            local, created = LocalPlan.objects.get_or_create(
                plan=plan,
                organisation=org,
                defaults={
                    "title": f"Kế hoạch triển khai Chương trình phối hợp năm {plan.year} – {org.name}",
                    "created_by": creator,
                    "status": status if prefix == "GDDT" else "draft",
                    "submitted_at": _aware(date(plan.year, 2, 25), 10) if status == "submitted" else None,
                    "note": "Phối hợp với thư viện huyện và các trường trên địa bàn.",
                },
            )
            if not created:
                continue
            picks = activities[:3] if prefix == "GDDT" else [activities[0], activities[3]]
            for index, provincial in enumerate(picks):
                LocalActivity.objects.create(
                    local_plan=local,
                    provincial_activity=provincial,
                    title=f"{provincial.title} trên địa bàn {org.district.name}",
                    start_date=provincial.start_date,
                    end_date=provincial.end_date,
                    target_value=(provincial.target_value or 0) // 10 or None,
                    target_unit=provincial.target_unit,
                    percent=[70, 100, 40, 20][(index + int(code)) % 4],
                    progress_note="Đang triển khai theo kế hoạch." if index else "",
                )
    _local_plan_reviews(plan, today)


def _local_plan_reviews(plan, today) -> None:
    """The DoET Office acknowledged one submitted local plan and returned another with a
    comment; the provincial plan asks for local plans by 31/3 (reminded to those missing).
    Seeded after the last reminder before 31/3 would have gone, the date is a few days ahead
    instead, so that the offices still missing a plan have that reminder whenever the demo runs."""
    from .services import local_plan_review

    if plan.local_plans_due is None:
        due = date(plan.year, 3, 31)
        if today > due - timedelta(days=7):
            due = min(today + timedelta(days=5), date(plan.year, 12, 31))
        plan.local_plans_due = due
        plan.save(update_fields=["local_plans_due"])
    vanphong = _user("vanphong")
    if vanphong is None:
        return
    waiting = list(
        plan.local_plans.filter(status=LocalPlan.Status.SUBMITTED, organisation__kind="education_office").order_by(
            "organisation__district__code"
        )
    )
    if plan.local_plans.filter(reviewed_at__isnull=False).exists() or len(waiting) < 2:
        return
    local_plan_review(local_plan=waiting[0], acknowledge=True, by=vanphong)
    local_plan_review(
        local_plan=waiting[1],
        acknowledge=False,
        comment="Đề nghị bổ sung hoạt động tập huấn nhân viên thư viện trường học và thời gian cụ thể từng hoạt động.",
        by=vanphong,
    )


def _inspections(original, renewal, today, by) -> None:
    specs = [
        (original, "157", date(2019, 10, 15), "inspection"),
        (original, "156", date(2020, 10, 20), "survey"),
        (renewal, "155", date(today.year, 4, 22), "inspection"),
        (renewal, "150", date(today.year, 9, 17), "inspection"),
    ]
    for programme, code, day, kind in specs:
        district_name = (
            Organisation.objects.filter(code=f"GDDT-{code}").values_list("district__name", flat=True).first()
        )
        if district_name is None:
            continue
        title = f"{'Khảo sát' if kind == 'survey' else 'Kiểm tra'} thực hiện Chương trình phối hợp tại huyện {district_name}"
        district = Organisation.objects.get(code=f"GDDT-{code}").district
        inspection, created = Inspection.objects.get_or_create(
            programme=programme,
            title=title,
            date=day,
            defaults={
                "kind": kind,
                "district": district,
                "team": "Đại diện Thư viện tỉnh (trưởng đoàn); Văn phòng Sở GD&ĐT; Phòng VH&TT và Phòng GD&ĐT huyện.",
                "findings": (
                    "Thư viện huyện duy trì luân chuyển sách định kỳ; một số thư viện trường còn thiếu "
                    "giá, tủ sách và nhân viên kiêm nhiệm chưa qua bồi dưỡng nghiệp vụ."
                ),
                "created_by": by,
            },
        )
        if not created:
            continue
        inspection.places.set(Organisation.objects.filter(code__in=[f"TVH-{code}", f"TH-{code}-01", f"TH-{code}-02"]))
        old = day.year < today.year
        first = Recommendation.objects.create(
            inspection=inspection,
            text="Bố trí nhân viên thư viện trường học tham dự lớp bồi dưỡng nghiệp vụ do Thư viện tỉnh tổ chức.",
            owner_organisation=_org(f"GDDT-{code}"),
            due_date=day + timedelta(days=60),
            status="done" if old else "in_progress",
            follow_up="Đã cử 6 nhân viên tham dự lớp tập huấn." if old else "Đã lập danh sách cử đi học.",
        )
        RecommendationUpdate.objects.create(
            recommendation=first,
            status="in_progress",
            note="Đã lập danh sách cử đi học.",
            reported_on=min(day + timedelta(days=20), today),
            author=by,
        )
        if old:
            RecommendationUpdate.objects.create(
                recommendation=first,
                status="done",
                note="Đã cử 6 nhân viên tham dự lớp tập huấn.",
                reported_on=day + timedelta(days=55),
                author=by,
            )
        Recommendation.objects.create(
            inspection=inspection,
            text="Bổ sung sách thiếu nhi cho bộ sách luân chuyển tới các trường vùng cao.",
            owner_organisation=_org(f"TTVH-{code}"),
            due_date=(day + timedelta(days=90)) if old else max(day + timedelta(days=90), today + timedelta(days=6)),
            status="done" if old else "open",
        )


def _proposals(original, renewal, today) -> None:
    codes = {c.code: c for c in renewal.commitments.all()}
    old_codes = {c.code: c for c in original.commitments.all()}
    specs = [
        (
            original,
            old_codes.get("IV.1.d2"),
            "proposal",
            "Đề xuất hỗ trợ kinh phí bổ sung sách luân chuyển cho thư viện trường học vùng đặc biệt khó khăn",
            "Ủy ban nhân dân tỉnh Hòa Bình",
            "TVT",
            "45/TTr-SVHTTDL",
            date(2019, 9, 5),
            "accepted",
            "UBND tỉnh đồng ý bố trí kinh phí mua bổ sung sách trong dự toán năm 2020.",
            date(2019, 11, 12),
        ),
        (
            original,
            old_codes.get("IV.1.d"),
            "legal_advice",
            "Tham mưu quy chế phối hợp luân chuyển sách giữa thư viện công cộng và thư viện trường học",
            "Ủy ban nhân dân tỉnh Hòa Bình",
            "VPSGD",
            "112/SGDĐT-VP",
            date(2020, 5, 18),
            "partly",
            "Giao hai Sở hoàn thiện dự thảo, lấy ý kiến các huyện trước khi ban hành.",
            date(2020, 7, 2),
        ),
        (
            renewal,
            codes.get("IV.1.d2"),
            "recommendation",
            f"Kiến nghị bố trí biên chế nhân viên thư viện chuyên trách cho trường học năm {today.year + 1}",
            "Ủy ban nhân dân tỉnh Hòa Bình; Sở Nội vụ",
            "VPSGD",
            f"{today.month * 17}/SGDĐT-VP",
            today - timedelta(days=40),
            "sent",
            "",
            None,
        ),
    ]
    for programme, commitment, kind, title, addressee, org_code, number, sent_on, status, response, resp_on in specs:
        Proposal.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={
                "commitment": commitment,
                "kind": kind,
                "addressee": addressee,
                "content": (
                    "Căn cứ Chương trình phối hợp giữa Sở VHTTDL và Sở GD&ĐT, hai Sở kính đề nghị xem xét, "
                    "hỗ trợ nguồn lực để đẩy mạnh hoạt động học tập suốt đời trong thư viện nhà trường."
                ),
                "organisation": _org(org_code),
                "document_number": number,
                "sent_on": sent_on,
                "status": status,
                "response": response,
                "responded_on": resp_on,
            },
        )


def _amendments(programme, thuvien, vanphong, gd_vh, gd_gd) -> None:
    """On the current programme: one amendment applied by both Directors (version 2, the old
    text one click away), one agreed by DoCST and awaiting the DoET Director, one returned
    with a comment. Idempotent: each is found again by its reason."""
    from .models import ProgrammeAmendment
    from .services import amendment_agree, amendment_propose, amendment_return

    if not (gd_vh and gd_gd):
        return
    wanted = [
        (
            "VI",
            "Kinh phí triển khai, tổ chức thực hiện Chương trình này do mỗi Sở tự đảm bảo theo quy định hiện hành; "
            "khuyến khích huy động nguồn xã hội hóa để bổ sung sách cho thư viện trường học vùng khó khăn.",
            "Bổ sung nguồn xã hội hóa theo kết luận hội nghị sơ kết năm trước.",
            vanphong,
            "applied",
        ),
        (
            "IV.2.b",
            "Chỉ đạo Phòng Văn hóa và Thông tin, Trung tâm Văn hóa, Thể thao và Truyền thông các huyện, thành phố "
            "bảo đảm nguồn sách, báo luân chuyển từ thư viện cấp huyện tới thư viện trường học ít nhất mỗi quý một lần.",
            "Nêu rõ tần suất luân chuyển sách tối thiểu để các huyện chủ động lập kế hoạch.",
            thuvien,
            "awaiting",
        ),
        (
            "IV.3.c",
            "Tổ chức tập huấn hướng dẫn sử dụng thư viện, giới thiệu sách tại các nhà trường; mỗi trường tổ chức "
            "tối thiểu hai giờ học ngoại khóa tại thư viện trong một tháng.",
            "Quy định số giờ học ngoại khóa tại thư viện.",
            vanphong,
            "returned",
        ),
    ]
    for code, text, reason, by, outcome in wanted:
        if ProgrammeAmendment.objects.filter(programme=programme, reason=reason).exists():
            continue
        commitment = programme.commitments.filter(code=code).first()
        if commitment is None:
            continue
        amendment = amendment_propose(
            programme=programme, commitment=commitment, code=code, text=text, reason=reason, by=by
        )
        if outcome == "applied":
            amendment_agree(amendment=amendment, by=gd_vh)
            amendment_agree(amendment=amendment, by=gd_gd)
        elif outcome == "awaiting":
            amendment_agree(amendment=amendment, by=gd_vh)
        else:
            amendment_return(
                amendment=amendment,
                comment="Số giờ ngoại khóa do từng trường quyết định theo kế hoạch năm học; đề nghị bỏ con số cố định.",
                by=gd_gd,
            )


def _pilots(original, renewal, today, vanphong, gd_gd) -> None:
    """IV.3.c: a primary-school pilot of 2019-2020 evaluated and rolled out, a lower-secondary
    pilot running this school year (its schools count in GD10). Idempotent by title."""
    from .models import Pilot
    from .services import pilot_decide, pilot_evaluate, pilot_save

    def schools(level, n):
        return list(
            Organisation.objects.filter(
                kind=Organisation.Kind.SCHOOL, school_level=level, valid_to__isnull=True
            ).order_by("district__code", "code")[:n]
        )

    if vanphong is None:
        return
    if not Pilot.objects.filter(title="Giờ đọc sách thư viện thân thiện ở trường tiểu học").exists():
        primary = schools("primary", 4)
        if primary:
            pilot = pilot_save(
                programme=original,
                title="Giờ đọc sách thư viện thân thiện ở trường tiểu học",
                school_level="primary",
                start_date=date(2019, 9, 5),
                end_date=date(2020, 5, 25),
                description="Mỗi lớp một tiết đọc tại thư viện mỗi tuần; câu lạc bộ bạn yêu sách do học sinh điều hành.",
                schools=primary,
                by=vanphong,
            )
            pilot = pilot_evaluate(
                pilot=pilot,
                lessons=(
                    "Số lượt học sinh mượn sách tăng gần gấp đôi; tiết đọc cần giáo viên chủ nhiệm cùng tham gia; "
                    "nên bổ sung sách tranh cho lớp 1, lớp 2."
                ),
                evidence=ContentFile(_evidence_pdf("Biên bản đánh giá thí điểm"), name="bien-ban-danh-gia.pdf"),
                by=vanphong,
                today=date(2020, 6, 10),
            )
            if gd_gd:
                pilot_decide(
                    pilot=pilot,
                    decision="roll_out",
                    roll_out_from=date(2020, 9, 5),
                    note="Nhân rộng ra toàn bộ trường tiểu học từ năm học 2020-2021.",
                    by=gd_gd,
                )
    if not Pilot.objects.filter(title="Thư viện số và câu lạc bộ đọc ở trường trung học cơ sở").exists():
        secondary = schools("lower_secondary", 3)
        if secondary:
            start = date(today.year if today.month >= 9 else today.year - 1, 9, 5)
            pilot_save(
                programme=renewal,
                title="Thư viện số và câu lạc bộ đọc ở trường trung học cơ sở",
                school_level="lower_secondary",
                start_date=start,
                end_date=date(start.year + 1, 5, 25),
                description="Tủ sách điện tử dùng chung với thư viện huyện; câu lạc bộ đọc sau giờ học.",
                schools=secondary,
                by=vanphong,
            )
