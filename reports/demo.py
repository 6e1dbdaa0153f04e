"""Demo reporting periods and reports (idempotent): the four half-years of the 2019-2020
programme, then last year's and this year's periods up to the current one (none in between:
nobody reported then). Past periods are fully reviewed: every received report is accepted, a
few of them late, a few after one return with comments, and a few organisations never
reported. Only the current period has work in progress: drafts, submitted reports awaiting
review, one returned with comments, and organisations that have not started, so the focal
officers' review queue holds just the current period's handful."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from directory.models import Organisation, User

from . import services
from .models import Report, ReportingPeriod

NARRATIVES = {
    "culture": {
        "NR1": "Duy trì luân chuyển sách, báo đến các thư viện trường học vùng sâu; tổ chức Ngày Sách và Văn hóa đọc "
        "Việt Nam, trưng bày sách theo chủ đề, thi kể chuyện theo sách cho thiếu nhi.",
        "NR2": "Kinh phí bổ sung sách còn hạn chế; phương tiện vận chuyển sách đến các xã vùng cao khó khăn.",
        "NR3": "Đề nghị Thư viện tỉnh tăng số bộ sách luân chuyển cho các trường vùng đặc biệt khó khăn.",
        "NR4": "Tiếp tục luân chuyển sách theo lộ trình, phối hợp với Phòng GD&ĐT tổ chức giờ học ngoại khóa.",
    },
    "education": {
        "NR1": "Các trường duy trì tiết đọc thư viện hằng tuần, tổ chức Ngày hội đọc sách; thư viện trường học "
        "tiếp nhận sách luân chuyển từ thư viện huyện và đưa vào phục vụ học sinh.",
        "NR2": "Nhiều trường chưa có nhân viên thư viện chuyên trách; phòng đọc chưa đạt diện tích tối thiểu.",
        "NR3": "Đề nghị Sở GD&ĐT bố trí biên chế nhân viên thư viện cho các trường tiểu học.",
        "NR4": "Xây dựng thêm thư viện thân thiện, mở rộng thí điểm hoạt động học tập suốt đời tại thư viện.",
    },
}


# Still typing their current report: Lạc Sơn's education office, and Đà Bắc's, whose officer
# fills it on a phone in communes with a patchy network (offline entry).
DRAFTING = ("GDDT-157", "GDDT-150")
RETURNED = "TTVH-153"  # Kim Bôi's culture centre: current report returned with comments
RETURN_FIX = "Các xã vùng cao Tân Pheo, Đồng Ruộng chưa được phục vụ thường xuyên do đường sá đi lại khó khăn."


def _figures(organisation: Organisation, period: ReportingPeriod, prefill: dict) -> dict:
    rng = random.Random(f"{organisation.code}-{period.key}")
    growth = 1 + (period.year - 2019) * 0.06
    if organisation.sector == Organisation.Sector.EDUCATION:
        schools = rng.randint(28, 62)
        with_library = schools - rng.randint(0, 4)
        full_time, part_time = rng.randint(4, 15), rng.randint(10, 30)
        values = {
            "GD01": schools,
            "GD02": with_library,
            "GD03": int(with_library * rng.uniform(0.4, 0.8)),
            "GD04": full_time,
            "GD05": part_time,
            "GD06": min(prefill.get("GD06", rng.randint(3, 12)), full_time + part_time),
            "GD07": int(rng.randint(80, 260) * growth),
            "GD08": int(rng.randint(3000, 9000) * growth),
            "GD09": int(rng.randint(600, 2500) * growth),
            "GD10": rng.randint(0, 5),
            "GD11": prefill.get("GD11", int(rng.randint(300, 1500) * growth)),
        }
    else:
        sets = prefill.get("LC01", rng.randint(4, 16))
        copies = prefill.get("LC02", sets * rng.randint(90, 140))
        sessions = prefill.get("VH06", rng.randint(2, 12))
        values = {
            "LC01": sets,
            "LC02": copies,
            "LC03": prefill.get("LC03", max(1, sets - rng.randint(0, 3))),
            "LC04": prefill.get("LC04", min(copies, rng.randint(0, 15))),
            "VH01": int(rng.randint(6, 24) * growth),
            "VH02": int(rng.randint(800, 4000) * growth),
            "VH03": int(rng.randint(3000, 12000) * growth),
            "VH04": rng.randint(80, 450),
            "VH05": int(rng.randint(300, 1200) * growth),
            "VH06": sessions,
            "VH07": prefill.get("VH07", sessions * rng.randint(20, 45)),
        }
    values.update(NARRATIVES[organisation.sector])
    return {k: str(v) for k, v in values.items()}


def _officer(organisation: Organisation, users: dict) -> User | None:
    members = users.get(organisation.pk, [])
    return next((u for u in members if not u.is_head), members[0] if members else None)


def _fill(period, organisation, officer) -> Report:
    report = services.report_start(period=period, organisation=organisation, by=officer)
    # The portal's own records (rotations, trainings) are taken as they are; where they hold
    # nothing for the window (older periods), the office reports from its paper records.
    prefill = {v.indicator.code: v.number for v in report.values.select_related("indicator") if v.source and v.number}
    services.report_save(
        report=report, version=report.version, values=_figures(organisation, period, prefill), by=officer
    )
    report.refresh_from_db()
    return report


def _replay(when: datetime.datetime):
    """Run the services at a past moment so timestamps, lateness and history are as they
    would have been (time-machine is a pinned dependency)."""
    import time_machine

    return time_machine.travel(when, tick=False)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


@transaction.atomic
def seed(stdout=None) -> dict:
    today = timezone.localdate()
    current_half = "H1" if today.month <= 6 else "H2"
    periods = {}
    # The 2019-2020 programme's four half-years, then its renewal: last year (for the
    # comparisons) up to the current period. No periods in between: nobody reported then.
    for year in [2019, 2020, *range(max(2021, today.year - 1), today.year + 1)]:
        for half in ("H1", "H2"):
            if year == today.year and half == "H2" and current_half == "H1":
                continue
            period = ReportingPeriod.objects.filter(year=year, half=half).first()
            if period is None:
                period = services.period_create(year=year, half=half)
            periods[(year, half)] = period
    current = periods[(today.year, current_half)]
    reviewers = {u.organisation.sector: u for u in User.objects.filter(username__in=["thuvien", "vanphong"])}
    users: dict = {}
    for user in User.objects.filter(role=User.Role.DISTRICT_OFFICER, is_active=True).order_by("username"):
        users.setdefault(user.organisation_id, []).append(user)

    past = [periods[k] for k in [(2019, "H1"), (2019, "H2"), (2020, "H1"), (2020, "H2")] if k in periods]
    prev_year = today.year - 1
    past += [periods[k] for k in [(prev_year, "H1"), (prev_year, "H2")] if k in periods]
    if current_half == "H2":
        past.append(periods[(today.year, "H1")])
    created = 0
    for period in past:
        for index, organisation in enumerate(period.required_organisations.order_by("code")):
            officer = _officer(organisation, users)
            reviewer = reviewers.get(organisation.sector)
            if officer is None or reviewer is None:
                continue
            existing = Report.objects.filter(period=period, organisation=organisation).first()
            if existing is not None:
                # A database seeded by an older demo may still hold a past report nobody
                # reviewed: a closed period's queue is empty, so accept it now.
                if existing.status == Report.Status.SUBMITTED:
                    with _replay(existing.submitted_at + datetime.timedelta(days=3)):
                        services.report_accept(report=existing, by=reviewer)
                continue
            rng = random.Random(f"{organisation.code}-{period.key}-when")
            if rng.random() < 0.05:
                continue  # never reported
            late = rng.random() < 0.1
            returned = rng.random() < 0.08
            day = period.due_date + datetime.timedelta(days=rng.randint(2, 12) if late else -rng.randint(1, 6))
            with _replay(_at(day, 8 + index % 8)):
                report = services.report_submit(report=_fill(period, organisation, officer), by=officer)
            if returned:
                # Sent back once with a comment, corrected and submitted again, then accepted:
                # the report keeps both versions.
                day += datetime.timedelta(days=2)
                with _replay(_at(day, 10)):
                    services.report_return(
                        report=report,
                        by=reviewer,
                        note="Đề nghị bổ sung phần khó khăn, vướng mắc và kiểm tra lại số liệu.",
                        comments={"NR2": "Nêu cụ thể nguyên nhân và địa bàn gặp khó khăn."},
                    )
                day += datetime.timedelta(days=2)
                with _replay(_at(day, 15)):
                    report.refresh_from_db()
                    text = NARRATIVES[organisation.sector]["NR2"] + " " + RETURN_FIX
                    services.report_save(report=report, version=report.version, values={"NR2": text}, by=officer)
                    report = services.report_submit(report=report, by=officer)
            with _replay(_at(day + datetime.timedelta(days=3), 14)):
                services.report_accept(report=report, by=reviewer)
            created += 1

    # The current period: drafts, submissions, one returned with comments, some missing.
    for index, organisation in enumerate(current.required_organisations.order_by("district__code", "kind")):
        officer = _officer(organisation, users)
        if officer is None or Report.objects.filter(period=current, organisation=organisation).exists():
            continue
        slot = index % 5
        if slot == 4 and organisation.code not in (*DRAFTING, RETURNED):
            continue  # not started yet
        # Started a few days ago, submitted a day or three later (never in the future).
        started = today - datetime.timedelta(days=4 + index % 9)
        with _replay(_at(started, 8 + index % 8)):
            report = _fill(current, organisation, officer)
        created += 1
        if organisation.code in DRAFTING or (slot in (0, 3) and organisation.code != RETURNED):
            continue  # draft (Lạc Sơn's education office is still typing)
        sent = started + datetime.timedelta(days=1 + index % 3)
        with _replay(_at(sent, 9 + index % 7)):
            report = services.report_submit(report=report, by=officer)
        if organisation.code == RETURNED and reviewers.get(organisation.sector):
            with _replay(_at(sent + datetime.timedelta(days=1), 10)):
                services.report_return(
                    report=report,
                    by=reviewers[organisation.sector],
                    note="Đề nghị đơn vị rà soát số liệu luân chuyển và bổ sung phần khó khăn, vướng mắc.",
                    comments={
                        "LC04": "Số bản sách mất, hư hỏng chưa khớp với biên bản nhận lại bộ sách.",
                        "NR": "Nêu cụ thể các xã chưa được phục vụ luân chuyển.",
                    },
                )
    _reopening(periods.get((2020, "H2")), reviewers.get(Organisation.Sector.CULTURE))
    if stdout:
        stdout.write(f"  reports: {len(periods)} periods, {created} reports created")
    return {"periods": len(periods), "reports": created}


def _reopening(period, by) -> None:
    """2020 H2 was reopened after its lock date for Kỳ Sơn's merger into Hòa Bình city: the
    period page shows the reason, who and when."""
    if period is None or by is None or period.reopenings.exists():
        return
    day = period.lock_date + datetime.timedelta(days=3)
    with _replay(_at(day, 9)):
        services.period_reopen(
            period=period,
            lock_date=period.lock_date + datetime.timedelta(days=14),
            reason="Kỳ Sơn sáp nhập vào thành phố Hòa Bình: cho phép Phòng Văn hóa và Thông tin thành phố "
            "bổ sung số liệu của các xã thuộc huyện Kỳ Sơn cũ.",
            by=by,
            today=day,
        )
