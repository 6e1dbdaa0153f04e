"""The main pages of each role, resolved against the benchmark database, with a logged-in
session per role for the load generator and the SQL queries each page runs.

Run inside Django (`python -m benchmarks.pages OUT.json`); writes
{"floor": url, "pages": [{name, role, url, cookie, queries, status}]}.
"""

import json
import sys
import time

ROLES = {
    "leadership": "giamdoc.vhttdl",
    "focal": "thuvien",
    "focal_doet": "vanphong",
    "district_culture": "vhtt.kim-boi",
    "district_centre": "ttvh.kim-boi",
    "district_education": "gddt.kim-boi",
    "librarian": "tv.kim-boi",
    "admin": "admin",
}


def page_specs() -> list[tuple[str, str, str]]:
    """(name, role, url) of every main page measured."""
    from django.urls import reverse

    from circulation.models import Rotation
    from directory.models import User
    from programs.models import AnnualPlan
    from reports import selectors as report_selectors
    from reports.models import Report
    from training.models import Course, Session

    period = report_selectors.current_period()
    plan = AnnualPlan.objects.filter(status="in_force").order_by("-year").first()
    district = User.objects.get(username=ROLES["district_culture"])
    report = Report.objects.filter(period=period, organisation=district.organisation_id).first()
    course = (
        Course.objects.filter(organiser__code="VPSGD").order_by("-pk").first() or Course.objects.order_by("pk").first()
    )
    session = Session.objects.filter(course=course).order_by("date").first()
    rotation = Rotation.objects.filter(owner__district__code__lt="9").order_by("pk").first()
    specs = []
    for role in ROLES:
        if role != "admin":
            specs.append(("home", role, reverse("core:home")))
            specs.append(("inbox", role, reverse("notifications:inbox")))
    for role in ("leadership", "focal", "focal_doet"):
        specs.append(("coverage", role, reverse("programs:coverage")))
        if plan:
            specs.append(("plan detail", role, reverse("programs:plan-detail", args=[plan.pk])))
        specs.append(("completeness", role, reverse("reports:period-completeness", args=[period.pk])))
        specs.append(("consolidation", role, reverse("reports:period-consolidation", args=[period.pk])))
        specs.append(("statistics", role, reverse("circulation:statistics")))
    if report:
        specs.append(("report form", "district_culture", reverse("reports:report-detail", args=[report.pk])))
        specs.append(("report form", "focal", reverse("reports:report-detail", args=[report.pk])))
    for role in ("focal_doet", "district_education", "librarian"):
        specs.append(("course list", role, reverse("training:course-list")))
    if course:
        specs.append(("course detail", "focal_doet", reverse("training:course-detail", args=[course.pk])))
    if session:
        specs.append(("attendance", "focal_doet", reverse("training:attendance", args=[session.pk])))
    for role in ("focal", "district_centre", "librarian"):
        specs.append(("collection list", role, reverse("circulation:collection-list")))
        specs.append(("rotation list", role, reverse("circulation:rotation-list")))
    if rotation:
        specs.append(("rotation detail", "focal", reverse("circulation:rotation-detail", args=[rotation.pk])))
    specs.append(("discrepancies", "focal", reverse("circulation:discrepancy-list")))
    specs.append(("organisations", "focal", reverse("directory:organisation-list")))
    for resource in ("organisations", "reports", "courses", "rotations", "notifications"):
        specs.append((f"api {resource}", "focal", f"/api/v1/{resource}/"))
    specs.append(("api completeness", "focal", f"/api/v1/completeness/?period={period.pk}"))
    for changelist in (
        "directory/organisation",
        "directory/user",
        "reports/report",
        "reports/reportvalue",
        "training/nomination",
        "circulation/rotation",
        "notifications/notification",
    ):
        specs.append((f"admin {changelist.split('/')[1]}", "admin", f"/admin/{changelist}/"))
    return specs


def logged_in(client, role: str):
    """`client` signed in as the role's account; staff with a verified second factor, as
    production asks before the admin site (TWO_FACTOR_REQUIRED_FOR_ADMIN)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from directory.models import User

    user = User.objects.get(username=ROLES[role])
    client.force_login(user)
    if user.is_staff or user.is_superuser:
        device, _created = StaticDevice.objects.get_or_create(user=user, name="bench")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def main(out: str) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core import versioned

    clients = {role: logged_in(Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https"), role) for role in ROLES}
    pages = []
    for name, role, url in page_specs():
        client = clients[role]
        # The first visit after a write: every version renewed (what a save anywhere in the
        # domain apps does to the kept parts and figures), then one request, three times.
        cold = []
        for _ in range(3):
            versioned.bump_all()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                client.get(url)
                cold.append((time.perf_counter() - start) * 1000)
            cold_queries = len(ctx.captured_queries)
        client.get(url)  # warm caches the way a second visit finds them
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        pages.append(
            {
                "name": name,
                "role": role,
                "url": url,
                "status": response.status_code,
                "queries": len(ctx.captured_queries),
                "after_write_ms": round(sorted(cold)[1], 1),
                "after_write_queries": cold_queries,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
            }
        )
    with CaptureQueriesContext(connection) as ctx:
        Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https").get("/_bench/floor")
    with open(out, "w") as fh:
        json.dump({"floor": "/_bench/floor", "floor_queries": len(ctx.captured_queries), "pages": pages}, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
