"""A realistic dataset of a given scale for `make bench` (`manage.py generate_dataset`).

On top of the demo (`seed_demo`: Hòa Bình's 11 districts, every account, the programme, its
plans, courses, collections and periods), it adds synthetic districts up to `districts`, each
with its three offices, a district library and about 65 schools with their libraries; ten
years of reporting periods with every report and value; staff and officer accounts; and
notifications. Every live district, Hòa Bình's own included, gets the same density of the
rest — local plans with activities, courses with sessions, nominations and attendance,
collections with items and rotations — where the demo gave it none, so both scales are the
same province, only more of it. Everything comes from `random.Random(seed)` so the same
arguments give the same rows, and the big tables are written with bulk inserts (COPY on
PostgreSQL for the report values).
"""

import datetime
import io
import random

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

SCHOOLS_PER_DISTRICT = 65
SCHOOL_LEVELS = ("preschool", "primary", "primary", "lower_secondary", "lower_secondary", "multi_level")
LEVEL_NAMES = {
    "preschool": "Trường Mầm non",
    "primary": "Trường Tiểu học",
    "lower_secondary": "Trường THCS",
    "multi_level": "Trường PTDTBT TH&THCS",
}
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Bùi", "Đinh", "Quách", "Xa", "Hà")
GIVEN = ("Thị Lan", "Văn Hùng", "Thị Hoa", "Minh Tuấn", "Thu Hà", "Văn Nam", "Thị Mai", "Đức Anh", "Thị Hằng")
PLACES = ("Tân", "Phú", "Bình", "An", "Đồng", "Mường", "Hợp", "Thượng", "Trung", "Liên", "Yên", "Ngọc")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def _copy(model, fields: list[str], rows) -> int:
    """Write rows with COPY on PostgreSQL, bulk_create elsewhere."""
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        columns = [model._meta.get_field(f).column for f in fields]
        buf = io.StringIO()
        for row in rows:
            buf.write("\t".join(_copy_value(v) for v in row))
            buf.write("\n")
        buf.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buf)  # noqa: S608
    else:
        names = [model._meta.get_field(f).attname for f in fields]
        model.objects.bulk_create([model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=2000)
    return len(rows)


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _announced(method):
    """The bulk inserts pass the models' signals by: the cached figures (core.versioned)
    are told after each part of the dataset is written."""

    def wrapper(self, *args, **kwargs):
        from core import versioned

        result = method(self, *args, **kwargs)
        versioned.bump_all()
        return result

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


class Generator:
    def __init__(self, *, districts: int, seed: int, years: int = 10, stdout=None):
        self.n_districts = districts
        self.rng = random.Random(seed)
        self.years = years
        self.stdout = stdout
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}

    def log(self, text: str) -> None:
        if self.stdout:
            self.stdout.write(text)

    def run(self) -> dict:
        from django.core.management import call_command

        from directory.models import Organisation

        if not Organisation.objects.filter(kind="education_office").exists():
            call_command("seed_demo", force=True, stdout=self.stdout)
        with transaction.atomic():
            self.directory()
            self.accounts()
            self.reports()
            self.plans()
            self.training()
            self.circulation()
            self.notifications()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return self.counts

    # --- directory ---------------------------------------------------------------------------
    @_announced
    def directory(self) -> None:
        from directory.models import AdministrativeUnit, Organisation

        province = AdministrativeUnit.objects.filter(level="province").order_by("pk").first()
        existing = list(AdministrativeUnit.objects.filter(level="district").order_by("code"))
        new_units = [
            AdministrativeUnit(
                code=f"9{i:04d}",
                name=f"{PLACES[i % len(PLACES)]} {PLACES[(i // len(PLACES)) % len(PLACES)]} {i}",
                name_with_type=f"Huyện {PLACES[i % len(PLACES)]} {PLACES[(i // len(PLACES)) % len(PLACES)]} {i}",
                type_label="Huyện",
                level="district",
                parent=province,
            )
            for i in range(len(existing), self.n_districts)
            if not AdministrativeUnit.objects.filter(code=f"9{i:04d}").exists()
        ]
        AdministrativeUnit.objects.bulk_create(new_units, batch_size=1000)
        self.new_districts = list(
            AdministrativeUnit.objects.filter(level="district", code__startswith="9").order_by("code")
        )
        offices = []
        for unit in self.new_districts:
            for prefix, label, kind, sector in (
                ("VHTT", "Phòng Văn hóa và Thông tin", "culture_office", "culture"),
                ("TTVH", "Trung tâm VH-TT&TT", "culture_centre", "culture"),
                ("GDDT", "Phòng Giáo dục và Đào tạo", "education_office", "education"),
                ("TVH", "Thư viện huyện", "public_library", "culture"),
            ):
                offices.append(
                    Organisation(
                        code=f"{prefix}-{unit.code}",
                        name=f"{label} {unit.name_with_type}",
                        kind=kind,
                        sector=sector,
                        district=unit,
                    )
                )
        Organisation.objects.bulk_create(offices, batch_size=2000, ignore_conflicts=True)
        # Top every live district up to ~65 schools, each with its library.
        live = [d for d in existing if d.is_valid_on(self.today)] + self.new_districts
        self.live_districts = live
        education = {o.district_id: o for o in Organisation.objects.filter(kind="education_office")}
        have = dict(
            Organisation.objects.filter(kind="school").values_list("district").annotate(n=Count("pk")).order_by()
        )
        schools = []
        for unit in live:
            for index in range(have.get(unit.pk, 0), SCHOOLS_PER_DISTRICT):
                level = SCHOOL_LEVELS[self.rng.randrange(len(SCHOOL_LEVELS))]
                schools.append(
                    Organisation(
                        code=f"TH-{unit.code}-G{index:03d}",
                        name=f"{LEVEL_NAMES[level]} {self.rng.choice(PLACES)} {self.rng.choice(PLACES)} {index}",
                        kind="school",
                        sector="education",
                        school_level=level,
                        district=unit,
                        parent=education.get(unit.pk),
                    )
                )
        schools = Organisation.objects.bulk_create(schools, batch_size=2000)
        libraries = [
            Organisation(
                code=f"{s.code}-TV",
                name=f"Thư viện {s.name}",
                kind="school_library",
                sector="education",
                district=s.district,
                parent=s,
            )
            for s in schools
        ]
        Organisation.objects.bulk_create(libraries, batch_size=2000)
        self.counts["organisations"] = Organisation.objects.count()
        self.log(f"  directory: {len(live)} live districts, {self.counts['organisations']} organisations")

    # --- accounts ----------------------------------------------------------------------------
    @_announced
    def accounts(self) -> None:
        from directory.models import Organisation, User

        password = make_password("hoabinh-demo")
        offices = Organisation.objects.filter(
            district__in=self.new_districts, kind__in=Organisation.DISTRICT_OFFICE_KINDS
        ).select_related("district")
        users = []
        for office in offices:
            prefix = office.code.split("-")[0].lower()
            for suffix, head in (("", False), (".truong", True)):
                users.append(
                    User(
                        username=f"{prefix}.{office.district.code}{suffix}",
                        password=password,
                        full_name=_name(self.rng),
                        role=User.Role.DISTRICT_OFFICER,
                        organisation=office,
                        is_head=head,
                        email=f"{prefix}.{office.district.code}{suffix}@bench.example.vn",
                    )
                )
        first_libraries = Organisation.objects.filter(
            district__in=self.new_districts, kind="school_library", code__endswith="G000-TV"
        ).select_related("district")
        for library in first_libraries:
            users.append(
                User(
                    username=f"tv.{library.district.code}",
                    password=password,
                    full_name=_name(self.rng),
                    role=User.Role.SCHOOL_LIBRARIAN,
                    organisation=library,
                    email=f"tv.{library.district.code}@bench.example.vn",
                )
            )
        User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
        self.counts["users"] = User.objects.count()

    # --- reports -----------------------------------------------------------------------------
    @_announced
    def reports(self) -> None:
        from directory.models import Organisation
        from reports import services
        from reports.models import Report, ReportingPeriod, ReportValue

        reporting = list(
            Organisation.objects.filter(kind__in=Organisation.DISTRICT_OFFICE_KINDS, district__in=self.live_districts)
        )
        current_year = self.today.year
        current = (current_year, "H1" if self.today.month <= 6 else "H2")
        n_reports = n_values = 0
        for year in range(current_year - self.years + 1, current_year + 1):
            for half in ("H1", "H2"):
                if (year, half) > current:
                    continue
                period = ReportingPeriod.objects.filter(year=year, half=half).first()
                if period is None:
                    period = ReportingPeriod.objects.create(
                        year=year, half=half, **ReportingPeriod.default_dates(year, half)
                    )
                services.catalogue_ensure(period=period)
                period.required_organisations.add(*reporting)
                done = set(Report.objects.filter(period=period).values_list("organisation_id", flat=True))
                is_current = (year, half) == current
                reports = []
                for org in reporting:
                    if org.pk in done:
                        continue
                    roll = self.rng.random()
                    if is_current:
                        if roll < 0.25:
                            continue
                        status = "submitted" if roll < 0.75 else "draft"
                    else:
                        if roll < 0.02:
                            continue
                        status = "accepted"
                    reports.append(
                        Report(
                            period=period,
                            organisation=org,
                            status=status,
                            submitted_at=self.now if status != "draft" else None,
                            is_late=(self.rng.random() < 0.1) if status != "draft" else None,
                            reviewed_at=self.now if status == "accepted" else None,
                        )
                    )
                reports = Report.objects.bulk_create(reports, batch_size=2000)
                n_reports += len(reports)
                indicators = list(period.indicators.select_related("section"))
                rows = []
                for report in reports:
                    sector = report.organisation.sector
                    for ind in indicators:
                        if ind.section.sector not in ("", sector):
                            continue
                        if ind.is_narrative:
                            rows.append(
                                (report.pk, ind.pk, None, "Duy trì luân chuyển sách, tổ chức Ngày Sách.", "", None)
                            )
                        else:
                            rows.append((report.pk, ind.pk, self.rng.randint(0, 5000), "", "", None))
                n_values += _copy(
                    ReportValue, ["report", "indicator", "number", "text", "source", "prefilled_number"], rows
                )
        self.counts["reports"] = Report.objects.count()
        self.counts["report_values"] = ReportValue.objects.count()
        self.log(f"  reports: +{n_reports} reports, +{n_values} values")

    # --- programs ----------------------------------------------------------------------------
    @_announced
    def plans(self) -> None:
        from directory.models import Organisation
        from programs.models import ActivityProgress, AnnualPlan, LocalActivity, LocalPlan

        plan = AnnualPlan.objects.filter(year=self.today.year).order_by("-revision").first() or (
            AnnualPlan.objects.order_by("-year", "-revision").first()
        )
        if plan is None:
            return
        activities = list(plan.activities.all())
        offices = Organisation.objects.filter(
            district__in=self.live_districts, kind="culture_office", local_plans__isnull=True
        )
        local_plans = LocalPlan.objects.bulk_create(
            [
                LocalPlan(
                    plan=plan,
                    organisation=o,
                    title=f"Kế hoạch thực hiện năm {plan.year} – {o.name}",
                    status="submitted",
                    submitted_at=self.now,
                    created_by=plan.created_by,
                )
                for o in offices
            ],
            batch_size=2000,
        )
        start, end = datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)
        LocalActivity.objects.bulk_create(
            [
                LocalActivity(
                    local_plan=lp,
                    provincial_activity=act,
                    title=act.title[:300],
                    start_date=start,
                    end_date=end,
                    percent=self.rng.randrange(0, 101, 10),
                )
                for lp in local_plans
                for act in activities[:3]
            ],
            batch_size=2000,
        )
        author = plan.created_by
        ActivityProgress.objects.bulk_create(
            [
                ActivityProgress(
                    activity=act,
                    reported_on=self.today - datetime.timedelta(days=30 * k),
                    percent=min(100, 20 * k),
                    narrative=f"Cập nhật tiến độ lần {k}.",
                    author=author,
                )
                for act in activities
                for k in range(1, 4)
            ]
        )
        self.counts["local_plans"] = LocalPlan.objects.count()

    # --- training ----------------------------------------------------------------------------
    @_announced
    def training(self) -> None:
        from directory.models import Organisation, User
        from training.models import Attendance, Course, Nomination, Session, StaffMember

        education = {
            o.district_id: o
            for o in Organisation.objects.filter(
                kind="education_office", district__in=self.live_districts, organised_courses__isnull=True
            )
        }
        libraries = Organisation.objects.filter(
            kind="school", district__in=self.live_districts, library_staff__isnull=True
        ).values_list("pk", "district_id")
        staff = StaffMember.objects.bulk_create(
            [
                StaffMember(full_name=_name(self.rng), school_id=pk, position="Nhân viên thư viện")
                for pk, _d in libraries
            ],
            batch_size=2000,
        )
        by_district: dict[int, list] = {}
        for member, (_pk, district_id) in zip(staff, libraries, strict=True):
            by_district.setdefault(district_id, []).append(member)
        creator = User.objects.filter(username="vanphong").first()
        courses, plan = [], []
        for district_id, office in education.items():
            for k, status in enumerate(("finished", "open")):
                start = self.today + datetime.timedelta(days=-200 + 230 * k)
                courses.append(
                    Course(
                        title=f"Bồi dưỡng nghiệp vụ thư viện trường học {office.district_id}-{k}",
                        organiser=office,
                        capacity=30,
                        status=status,
                        nomination_deadline=start - datetime.timedelta(days=7),
                        created_by=creator,
                    )
                )
                plan.append((district_id, start, status))
        courses = Course.objects.bulk_create(courses, batch_size=2000)
        sessions, nominations = [], []
        for course, (district_id, start, status) in zip(courses, plan, strict=True):
            for s in range(3):
                sessions.append(
                    Session(
                        course=course,
                        date=start + datetime.timedelta(days=s),
                        start_time=datetime.time(8),
                        end_time=datetime.time(11, 30),
                        place="Hội trường Phòng GD&ĐT",
                    )
                )
            for member in by_district.get(district_id, [])[:20]:
                nominations.append(
                    Nomination(
                        course=course,
                        staff=member,
                        nominated_by=creator,
                        nominating_organisation=course.organiser,
                        state="fully_attended" if status == "finished" else "booked",
                    )
                )
        sessions = Session.objects.bulk_create(sessions, batch_size=2000)
        nominations = Nomination.objects.bulk_create(nominations, batch_size=2000)
        sessions_of: dict[int, list] = {}
        for s in sessions:
            sessions_of.setdefault(s.course_id, []).append(s)
        finished = {c.pk for c, p in zip(courses, plan, strict=True) if p[2] == "finished"}
        Attendance.objects.bulk_create(
            [
                Attendance(session=s, nomination=n, present=self.rng.random() < 0.9, marked_by=creator)
                for n in nominations
                if n.course_id in finished
                for s in sessions_of[n.course_id]
            ],
            batch_size=5000,
        )
        self.counts["courses"] = Course.objects.count()
        self.counts["nominations"] = Nomination.objects.count()

    # --- circulation -------------------------------------------------------------------------
    @_announced
    def circulation(self) -> None:
        from circulation.models import Item, RotatingCollection, Rotation, RotationLine
        from directory.models import Organisation

        libraries = list(
            Organisation.objects.filter(
                kind="public_library", district__in=self.live_districts, rotating_collections__isnull=True
            )
        )
        schools: dict[int, list[int]] = {}
        for pk, district_id in Organisation.objects.filter(
            kind="school_library", district__in=self.live_districts
        ).values_list("pk", "district_id"):
            schools.setdefault(district_id, []).append(pk)
        collections = RotatingCollection.objects.bulk_create(
            [
                RotatingCollection(
                    owner=lib,
                    code=f"LC-{lib.district_id}-{k}",
                    name=f"Tủ sách luân chuyển số {k + 1}",
                    theme="Văn học thiếu nhi",
                )
                for lib in libraries
                for k in range(2)
            ],
            batch_size=2000,
        )
        items = Item.objects.bulk_create(
            [
                Item(
                    library=c.owner,
                    collection=c,
                    title=f"Sách thiếu nhi tập {i + 1}",
                    authors="Tô Hoài",
                    publisher="NXB Kim Đồng",
                    year=2015 + i % 10,
                    barcode=f"{c.pk:06d}{i:04d}",
                    copies=2,
                )
                for c in collections
                for i in range(40)
            ],
            batch_size=5000,
        )
        items_of: dict[int, list] = {}
        for item in items:
            items_of.setdefault(item.collection_id, []).append(item)
        rotations, lines_for = [], []
        for c in collections:
            targets = schools.get(c.owner.district_id, [])
            for k in range(3):
                if not targets:
                    break
                status = ("checked", "received", "planned")[k]
                dispatch = self.today + datetime.timedelta(days=-120 + 60 * k)
                rotations.append(
                    Rotation(
                        collection=c,
                        owner=c.owner,
                        school_library_id=targets[(k * 7) % len(targets)],
                        status=status,
                        planned_dispatch_date=dispatch,
                        due_date=dispatch + datetime.timedelta(days=90),
                        dispatched_at=self.now if status != "planned" else None,
                        received_at=self.now if status != "planned" else None,
                        titles_sent=10,
                        copies_sent=20,
                        copies_received=20 if status != "planned" else 0,
                        copies_back=19 if status == "checked" else 0,
                        copies_lost=1 if status == "checked" else 0,
                    )
                )
                lines_for.append(items_of[c.pk][k * 10 : k * 10 + 10])
        rotations = Rotation.objects.bulk_create(rotations, batch_size=2000)
        RotationLine.objects.bulk_create(
            [
                RotationLine(
                    rotation=r,
                    item=item,
                    position=i,
                    title=item.title,
                    barcode=item.barcode,
                    copies_sent=2,
                    copies_received=2 if r.status != "planned" else None,
                )
                for r, chunk in zip(rotations, lines_for, strict=True)
                for i, item in enumerate(chunk)
            ],
            batch_size=5000,
        )
        self.counts["rotations"] = Rotation.objects.count()
        self.counts["items"] = Item.objects.count()

    # --- notifications -----------------------------------------------------------------------
    @_announced
    def notifications(self) -> None:
        from directory.models import User
        from notifications.models import Notification

        users = list(User.objects.filter(is_active=True, notifications__isnull=True).values_list("pk", flat=True))
        rows = []
        for pk in users:
            for k in range(8):
                rows.append(
                    Notification(
                        user_id=pk,
                        title=f"Thông báo số {k + 1}: kỳ báo cáo sắp đến hạn",
                        body="Đề nghị hoàn thành đúng hạn.",
                        created_at=self.now - datetime.timedelta(days=k),
                        read_at=self.now if k > 2 else None,
                    )
                )
        Notification.objects.bulk_create(rows, batch_size=5000)
        self.counts["notifications"] = Notification.objects.count()
