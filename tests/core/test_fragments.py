"""`{% datacache %}` keeps a part of a page rendered for the person until the data changes:
a second visit reads less, a write of any kind shows on the next visit, nobody is served
what was drawn for someone else, and a part holding a form's token is never kept."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Organisation
from reports.models import Report
from tests.conftest import org

from ..reports.factories import filled_report, period

pytestmark = pytest.mark.django_db

NAMES = Template(
    "{% load fragments %}{% datacache 'names' code %}"
    "{{ user.username }}:{% for o in orgs %}{{ o.name }};{% endfor %}{% enddatacache %}"
)


def draw(template, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return template.render(Context({"request": request, "user": user, **context}))


def org_names(code):
    return Organisation.objects.filter(code=code).order_by("pk")


def test_the_second_drawing_reads_nothing_and_shows_the_same(thuvien):
    first = draw(NAMES, thuvien, code="TVT", orgs=org_names("TVT"))
    with CaptureQueriesContext(connection) as ctx:
        second = draw(NAMES, thuvien, code="TVT", orgs=org_names("TVT"))
    assert second == first and "Thư viện" in first
    assert len(ctx.captured_queries) == 0


def test_a_write_without_signals_shows_on_the_next_drawing(thuvien):
    draw(NAMES, thuvien, code="TVT", orgs=org_names("TVT"))
    Organisation.objects.filter(code="TVT").update(name="Thư viện tỉnh Hòa Bình (mới)")  # no post_save
    assert "Thư viện tỉnh Hòa Bình (mới)" in draw(NAMES, thuvien, code="TVT", orgs=org_names("TVT"))


def test_another_person_is_never_served_what_was_drawn_for_the_first(thuvien, vanphong):
    assert draw(NAMES, thuvien, code="TVT", orgs=org_names("TVT")).startswith("thuvien:")
    assert draw(NAMES, vanphong, code="TVT", orgs=org_names("TVT")).startswith("vanphong:")


def test_the_values_named_after_the_name_keep_parts_apart(thuvien):
    assert "Sở Giáo dục" in draw(NAMES, thuvien, code="SGDDT", orgs=org_names("SGDDT"))
    assert "Sở Giáo dục" not in draw(NAMES, thuvien, code="TVT", orgs=org_names("TVT"))


def test_a_part_with_a_form_token_is_drawn_every_time(client, thuvien):
    form = Template("{% load fragments %}{% datacache 'form' %}<form>{% csrf_token %}</form>{% enddatacache %}")
    tokens = []
    for _ in range(2):
        request = RequestFactory().get("/")
        request.user = thuvien
        request.META["CSRF_COOKIE"] = f"{len(tokens)}" * 32
        html = form.render(Context({"request": request, "user": thuvien, "csrf_token": request.META["CSRF_COOKIE"]}))
        tokens.append(re.search(r'value="([^"]+)"', html).group(1))
    assert tokens[0] != tokens[1]


def test_nothing_is_kept_for_a_visitor_who_is_not_signed_in(db):
    draw(NAMES, AnonymousUser(), code="TVT", orgs=org_names("TVT"))
    Organisation.objects.filter(code="TVT").update(name="Thư viện tỉnh (đổi tên)")
    with CaptureQueriesContext(connection) as ctx:
        html = draw(NAMES, AnonymousUser(), code="TVT", orgs=org_names("TVT"))
    assert "Thư viện tỉnh (đổi tên)" in html and len(ctx.captured_queries) == 1


def test_the_completeness_page_revisited_reads_less_and_follows_a_submission(client, vanphong, gddt_lac_son):
    p = period(2026, "H1", organisations=[org("GDDT-157"), org("GDDT-156")])
    report = filled_report(p, org("GDDT-157"), gddt_lac_son)
    url = reverse("reports:period-completeness", args=[p.pk])
    client.force_login(vanphong)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        counts.append(len(ctx.captured_queries))
        assert "Đang soạn" in html
    assert counts[1] < counts[0]
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED, submitted_at=timezone.now())
    rows = client.get(url).content.decode()
    row = rows[rows.index('data-org="GDDT-157"') :][:1500]
    assert "Đã nộp" in row and "Đang soạn" not in row


def reads(sql: str, table: str) -> bool:
    """Whether `sql` reads `table`; a name ending in "_" stands for every table of that app."""
    return f'"{table}' in sql if table.endswith("_") else f'"{table}"' in sql


@pytest.mark.parametrize(
    ("name", "tables"),
    [
        ("reports:period-completeness", ("reports_report", "directory_administrativeunit")),
        ("programs:coverage", ("programs_", "reports_")),
        ("circulation:statistics", ("circulation_",)),
    ],
)
def test_a_kept_figures_page_revisited_reads_none_of_its_figures(client, thuvien, name, tables):
    """The figures behind a kept page are read only when it is drawn again: a revisit costs
    the same whatever the number of districts, reports or rotations."""
    args = [period(2026, "H1", organisations=[org("GDDT-157")]).pk] if name.startswith("reports") else []
    url = reverse(name, args=args)
    client.force_login(thuvien)
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url).content.decode()
    read = [q["sql"] for q in ctx.captured_queries if any(reads(q["sql"], t) for t in tables)]
    assert read == []
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again) == token.sub("", first)
