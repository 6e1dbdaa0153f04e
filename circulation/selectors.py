"""Reads of the rotation app: what each user sees, lists, discrepancies, statistics and the
figures that prefill the 6-monthly reports. Who may act on what is decided in access.py."""

from datetime import date
from hashlib import md5

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from core import versioned
from core.search import normalise
from directory.models import AdministrativeUnit, Organisation, User
from directory.selectors import scope_queryset, user_scope

from .access import can_manage_library, is_receiving_librarian, managed_libraries
from .models import ImportBatch, Item, RotatingCollection, Rotation, RotationLine, Route

# --- People of a library (who may act for one is decided in access.py) ----------------------


def active_people(organisation_ids) -> dict[int, list[User]]:
    """Active accounts of each of the given organisations, by organisation, in one query: what
    `library_staff` and `school_librarians` read, so that the reminder sweep can apply them to
    many rotations without a query each."""
    people: dict[int, list[User]] = {}
    users = User.objects.filter(organisation_id__in={i for i in organisation_ids if i}, is_active=True)
    for user in users.select_related("organisation").order_by("pk"):
        people.setdefault(user.organisation_id, []).append(user)
    return people


def library_staff(library: Organisation, people: dict[int, list[User]] | None = None) -> list[User]:
    """People who act for the library: its members, and for a district library the members
    of its parent culture centre; leadership only reads. `people` (from `active_people`) saves
    the query when many libraries are asked about."""
    if people is None:
        people = active_people([library.pk, library.parent_id])
    staff = [u for u in people.get(library.pk, []) if u.role != User.Role.LEADERSHIP]
    if library.kind == Organisation.Kind.PUBLIC_LIBRARY and library.parent_id:
        staff += [
            u
            for u in people.get(library.parent_id, [])
            if u.organisation.kind == Organisation.Kind.CULTURE_CENTRE and u.role != User.Role.LEADERSHIP
        ]
    return staff


def school_librarians(school_library: Organisation, people: dict[int, list[User]] | None = None) -> list[User]:
    """Librarians of the school library (accounts tied to the library or to its school);
    `people` as for `library_staff`."""
    if people is None:
        people = active_people([school_library.pk, school_library.parent_id])
    ids = [school_library.pk, school_library.parent_id]
    return [u for i in ids if i for u in people.get(i, []) if u.role == User.Role.SCHOOL_LIBRARIAN]


# --- Visibility ------------------------------------------------------------------------------


ROTATION_RELATED = ("collection", "owner", "school_library", "school_library__parent", "school_library__district")


def rotations_for_user(user) -> QuerySet[Rotation]:
    """Rotations the user may see: sent by a library in scope or received by one in scope."""
    qs = Rotation.objects.select_related(*ROTATION_RELATED)
    if user_scope(user).everything:
        # No DISTINCT over every rotation of the country just to show the first few.
        return qs
    # The organisations in scope and the managed libraries as id sets (index look-ups) rather
    # than joins to the owner and the school of every rotation; no row repeats, so no DISTINCT.
    visible = _scope_ids(user)
    managed = managed_libraries(user).values("pk")
    return qs.filter(Q(owner__in=visible) | Q(school_library__in=visible) | Q(owner__in=managed))


def _scope_ids(user) -> QuerySet:
    """Ids of the organisations in the user's scope (`scope_queryset` on Organisation)."""
    return scope_queryset(user, Organisation.objects.all(), org_field="").values("pk")


def collections_for_user(user) -> QuerySet[RotatingCollection]:
    """Collections owned by a library in scope, or that went to a school library in scope."""
    qs = RotatingCollection.objects.all()
    if not user_scope(user).everything:
        # Each condition by primary key: no join that repeats a collection, so no DISTINCT.
        rotated = rotations_for_user(user).values("collection_id")
        owners = _scope_ids(user).order_by().union(managed_libraries(user).order_by().values("pk"))
        qs = qs.filter(Q(owner__in=owners) | Q(pk__in=rotated))
    return qs.select_related("owner", "owner__district")


def items_for_user(user) -> QuerySet[Item]:
    """The titles of the collections the user sees."""
    return Item.objects.filter(collection__in=collections_for_user(user).values("pk"))


def collections_with_counts(user) -> QuerySet[RotatingCollection]:
    """`collections_for_user` with titles, copies and rotations out counted per collection by
    correlated subqueries (computed for the rows of the page only), not by joining every
    item and rotation of the country to every collection."""
    items = Item.objects.filter(collection=OuterRef("pk")).order_by().values("collection")
    out = Rotation.objects.filter(collection=OuterRef("pk"), status__in=Rotation.OUT_STATUSES).order_by()
    return collections_for_user(user).annotate(
        n_items=Coalesce(Subquery(items.annotate(n=Count("pk")).values("n")), 0),
        n_copies=Subquery(items.annotate(n=Sum("copies")).values("n")),
        n_out=Coalesce(Subquery(out.values("collection").annotate(n=Count("pk")).values("n")), 0),
    )


def get_collection_for_user(user, pk) -> RotatingCollection:
    try:
        return collections_for_user(user).get(pk=pk)
    except (RotatingCollection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_collection_for_manager(user, pk) -> RotatingCollection:
    """The collection when the user manages its library; 404 outside scope, 403 read-only."""
    collection = get_collection_for_user(user, pk)
    if not can_manage_library(user, collection.owner_id):
        raise PermissionDenied
    return collection


def get_rotation_for_user(user, pk) -> Rotation:
    try:
        return rotations_for_user(user).get(pk=pk)
    except (Rotation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_rotation_for_owner(user, pk) -> Rotation:
    rotation = get_rotation_for_user(user, pk)
    if not can_manage_library(user, rotation.owner_id):
        raise PermissionDenied
    return rotation


def get_rotation_for_receiver(user, pk) -> Rotation:
    rotation = get_rotation_for_user(user, pk)
    if not is_receiving_librarian(user, rotation):
        raise PermissionDenied
    return rotation


def get_import_for_manager(user, pk) -> ImportBatch:
    try:
        batch = ImportBatch.objects.select_related("collection", "collection__owner").get(pk=pk)
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_collection_for_user(user, batch.collection_id)
    if not can_manage_library(user, batch.collection.owner_id):
        raise PermissionDenied
    return batch


def routes_for_user(user) -> QuerySet[Route]:
    return Route.objects.filter(collection__in=collections_for_user(user).values("pk")).select_related(
        "collection", "collection__owner"
    )


def get_route_for_user(user, pk) -> Route:
    try:
        return routes_for_user(user).get(pk=pk)
    except (Route.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def school_library_choices(user=None) -> QuerySet[Organisation]:
    """School libraries still open; with `user`, only those within the user's scope."""
    today = timezone.localdate()
    qs = (
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL_LIBRARY)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("district")
        .order_by("district__code", "name")
    )
    return qs if user is None else scope_queryset(user, qs, org_field="")


def receiving_libraries(owner: Organisation) -> QuerySet[Organisation]:
    """The school libraries `owner` may rotate books to (Library Law 2019, art. 11): the
    Provincial Library to any school library of the province, a district library only to
    those of its own district, anyone else to none. Forms offer these; services re-check."""
    qs = school_library_choices()
    if owner.kind == Organisation.Kind.PROVINCIAL_LIBRARY:
        return qs
    if owner.kind == Organisation.Kind.PUBLIC_LIBRARY and owner.district_id:
        return qs.filter(district_id=owner.district_id)
    return qs.none()


def library_filter_choices(user) -> QuerySet[Organisation]:
    """Public libraries (provincial and district) the user may pick in a filter."""
    qs = Organisation.objects.filter(kind__in=Organisation.LIBRARY_KINDS).order_by("kind", "name")
    return scope_queryset(user, qs, org_field="")


def rotation_lines(rotation: Rotation) -> QuerySet[RotationLine]:
    return rotation.lines.select_related("item").order_by("position")


def rotation_history(rotation: Rotation):
    return rotation.events.select_related("by").order_by("at", "pk")


# --- Overdue and discrepancies ---------------------------------------------------------------


def discrepancies(user, *, library_id=None, district_id=None, today: date | None = None, limit: int = 200) -> dict:
    """Overdue rotations, receipts with missing copies and checks with losses or damage, in
    the user's scope, optionally for one owning library or one district (owner's or school's):
    the first `limit` of each, as lists."""
    today = today or timezone.localdate()
    qs = rotations_for_user(user)
    if library_id:
        qs = qs.filter(owner_id=library_id)
    if district_id:
        qs = qs.filter(Q(owner__district_id=district_id) | Q(school_library__district_id=district_id))
    return {
        "overdue": _first(qs.filter(status__in=Rotation.AT_SCHOOL_STATUSES, due_date__lt=today), "due_date", limit),
        "missing": _first(qs.filter(copies_missing__gt=0), "-received_at", limit),
        "losses": _first(
            qs.filter(status=Rotation.Status.CLOSED).filter(Q(copies_lost__gt=0) | Q(copies_damaged__gt=0)),
            "-checked_at",
            limit,
        ),
    }


def _first(rotations: QuerySet[Rotation], order: str, limit: int) -> list[Rotation]:
    """The first `limit` rotations in `order`, chosen on the rotations alone (a subquery)
    before their collection, libraries and district are joined: joined first, PostgreSQL
    misjudges how few rotations are overdue and reads the organisations of the country."""
    first = rotations.order_by(order, "pk").values("pk")[:limit]
    return list(Rotation.objects.filter(pk__in=first).select_related(*ROTATION_RELATED).order_by(order, "pk"))


def missing_lines(rotation_ids) -> dict[int, list[RotationLine]]:
    """The items missing at receipt, by rotation id (one query)."""
    lines: dict[int, list[RotationLine]] = {}
    for line in RotationLine.objects.filter(
        rotation_id__in=list(rotation_ids), copies_received__lt=F("copies_sent")
    ).order_by("rotation_id", "position"):
        lines.setdefault(line.rotation_id, []).append(line)
    return lines


# --- Statistics ------------------------------------------------------------------------------


def _window(qs, field: str, start: date | None, end: date | None):
    if start:
        qs = qs.filter(**{f"{field}__date__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__date__lte": end})
    return qs


STATISTICS_DISTRICT_ROWS = 20  # as many as the home page shows


STATISTICS_CACHE_SECONDS = 300


def sees_circulation(user) -> bool:
    """Whether the user has any scope over libraries and rotations (the menu and home panel)."""
    return not user_scope(user).is_empty


def statistics(user, *, district_id=None, school_library_id=None, start=None, end=None) -> dict:
    """Figures for the statistics page, in the user's scope: totals (with the number of
    districts served), per district (at most STATISTICS_DISTRICT_ROWS), per school (the 50
    with the most copies) and per month, one aggregate query each.

    Aggregating a country's rotations takes longer than a page should, so the figures are
    kept in the cache per scope (what `rotations_for_user` depends on) and filter, until a
    rotation changes (core.versioned's "circulation" version) or at most STATISTICS_CACHE_SECONDS (names of
    districts and schools changed in the directory)."""
    scope = (user.role, user.organisation_id, user.is_superuser) if user.is_authenticated else None
    filters = (district_id, school_library_id, start, end)
    key = "statistics:" + md5(repr((scope, filters)).encode(), usedforsecurity=False).hexdigest()
    return versioned.cached(
        "circulation",
        key,
        lambda: _statistics(user, district_id=district_id, school_library_id=school_library_id, start=start, end=end),
        timeout=STATISTICS_CACHE_SECONDS,
    )


def _statistics(user, *, district_id, school_library_id, start, end) -> dict:
    qs = rotations_for_user(user).exclude(status__in=[Rotation.Status.PLANNED, Rotation.Status.CANCELLED])
    if district_id:
        qs = qs.filter(school_library__district_id=district_id)
    if school_library_id:
        qs = qs.filter(school_library_id=school_library_id)
    qs = _window(qs, "dispatched_at", start, end).order_by()
    aggregates = {
        "rotations": Count("pk", distinct=True),
        "collections": Count("collection", distinct=True),
        "schools": Count("school_library", distinct=True),
        "copies": Sum("copies_sent"),
        "received": Sum("copies_received"),
        "missing": Sum("copies_missing"),
        "lost": Sum("copies_lost"),
        "damaged": Sum("copies_damaged"),
    }
    totals = {k: v or 0 for k, v in qs.aggregate(**aggregates).items()}
    ids = qs.values("pk")
    base = Rotation.objects.filter(pk__in=ids).order_by()
    # A province's districts in code order; a country's, the STATISTICS_DISTRICT_ROWS that
    # received the most copies (a table and a chart of 700 districts help nobody).
    by_district, totals["districts"] = _per_district(base, aggregates, STATISTICS_DISTRICT_ROWS)
    by_school = _top_schools(base, aggregates, 50)
    by_month = list(
        base.annotate(month=TruncMonth("dispatched_at")).values("month").annotate(**aggregates).order_by("month")
    )
    return {"totals": totals, "by_district": by_district, "by_school": by_school, "by_month": by_month}


def _per_district(rotations, aggregates: dict, limit: int) -> tuple[list[dict], int]:
    """The figures per district of the receiving school and the number of districts: every
    district in code order while they are at most `limit`, else the `limit` that received
    the most copies. Each rotation's district is read by primary key (a correlated
    subquery) and grouped on (a join to the organisations reads the country's whole
    table); only the districts shown are then named."""
    district = Organisation.objects.filter(pk=OuterRef("school_library_id")).order_by().values("district_id")[:1]
    rows = list(rotations.annotate(district=Subquery(district)).values("district").annotate(**aggregates))
    served = sum(1 for row in rows if row["district"])
    most = len(rows) > limit
    if most:
        rows = sorted(rows, key=lambda row: (-(row["copies"] or 0), row["district"] or 0))[:limit]
    units = AdministrativeUnit.objects.filter(pk__in=[row["district"] for row in rows if row["district"]])
    names = {pk: (code, name) for pk, code, name in units.values_list("pk", "code", "name")}
    for row in rows:
        row["code"], row["school_library__district__name"] = names.get(row.pop("district"), ("", None))
    if not most:
        rows.sort(key=lambda row: (row["code"] == "", row["code"]))
    return rows, served


def _top_schools(rotations, aggregates: dict, n: int) -> list[dict]:
    """The `n` school libraries that received the most copies, with their figures: grouped
    on the rotations alone, then the names of those `n` read by primary key (joining every
    rotation to the organisations first makes PostgreSQL read the country's whole
    organisation table)."""
    groups = list(
        rotations.values("school_library_id").annotate(**aggregates).order_by("-copies", "school_library_id")[:n]
    )
    schools = Organisation.objects.filter(pk__in=[row["school_library_id"] for row in groups])
    names = {o.pk: o for o in schools.select_related("district").only("name", "district__name")}
    for row in groups:
        school = names.get(row["school_library_id"])
        row["school_library__name"] = school.name if school else ""
        row["school_library__district__name"] = school.district.name if school and school.district_id else None
    groups.sort(key=lambda row: (-(row["copies"] or 0), row["school_library__name"]))
    return groups


# --- Figures for the 6-monthly reports --------------------------------------------------------

INDICATORS = {
    "LC01": "Số bộ sách luân chuyển đã gửi đi trong kỳ",
    "LC02": "Số bản sách luân chuyển đã gửi đi trong kỳ",
    "LC03": "Số thư viện trường học được phục vụ trong kỳ",
    "LC04": "Số bản sách luân chuyển (gửi trong kỳ) bị mất, hư hỏng",
    "GD11": "Số bản sách luân chuyển thư viện trường học đã nhận trong kỳ",
}


def report_figures(*, organisation: Organisation, start: date, end: date) -> dict[str, int]:
    """Indicator code → value for the 6-monthly report of `organisation` over [start, end].

    - A public library (TVT, TVH-<code>): its own rotations. LC01 distinct collections
      dispatched in the window, LC02 copies dispatched, LC03 distinct school libraries those
      rotations went to, LC04 copies of those same rotations found lost or damaged (as
      checked so far) — counted by dispatch, so LC04 never exceeds LC02.
    - A district culture office or culture centre: the rotations *sent by the district's
      public library* plus the rotations *received by the district's school libraries* from
      any library (the Provincial Library's included), counted once each.
    - The Department of Culture (SVHTTDL): the whole province.
    - A district education office: GD11, copies received (receipt confirmed in the window) by
      the district's school libraries; the DoET office and Department: the whole province.
    Any other organisation: {}.
    """
    kind = organisation.kind
    kinds = Organisation.Kind
    rotations = Rotation.objects.order_by()
    if kind in (kinds.EDUCATION_OFFICE, kinds.DOET_OFFICE) or (
        kind == kinds.DEPARTMENT and organisation.sector == Organisation.Sector.EDUCATION
    ):
        if kind == kinds.EDUCATION_OFFICE:
            rotations = rotations.filter(school_library__district_id=organisation.district_id)
        received = _window(rotations.filter(received_at__isnull=False), "received_at", start, end)
        return {"GD11": received.aggregate(n=Sum("copies_received"))["n"] or 0}
    if kind in Organisation.LIBRARY_KINDS:
        rotations = rotations.filter(owner=organisation)
    elif kind in (kinds.CULTURE_OFFICE, kinds.CULTURE_CENTRE):
        # Only the district's own work: its library's rotations, and what its schools
        # received from it or from the Provincial Library (never another district's).
        own_library = Q(owner__kind=kinds.PUBLIC_LIBRARY, owner__district_id=organisation.district_id)
        rotations = rotations.filter(
            own_library | Q(school_library__district_id=organisation.district_id, owner__kind=kinds.PROVINCIAL_LIBRARY)
        )
    elif not (kind == kinds.DEPARTMENT and organisation.sector == Organisation.Sector.CULTURE):
        return {}
    sent = _window(rotations.filter(dispatched_at__isnull=False), "dispatched_at", start, end)
    figures = sent.aggregate(
        LC01=Count("collection", distinct=True),
        LC02=Sum("copies_sent"),
        LC03=Count("school_library", distinct=True),
        lost=Sum("copies_lost"),
        damaged=Sum("copies_damaged"),
    )
    figures["LC04"] = (figures.pop("lost") or 0) + (figures.pop("damaged") or 0)
    return {code: int(value or 0) for code, value in figures.items()}


def items_of(collection: RotatingCollection) -> QuerySet[Item]:
    return collection.items.order_by("call_number", "title")


def get_item_for_manager(user, pk) -> Item:
    """An item the user may edit: 404 when its collection (or, out of any collection, its
    library) is outside the user's scope, 403 when the user only reads."""
    try:
        item = Item.objects.select_related("collection", "library").get(pk=pk)
    except (Item.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if item.collection_id:
        get_collection_for_user(user, item.collection_id)
    elif not can_manage_library(user, item.library_id):
        raise Http404
    if not can_manage_library(user, item.library_id):
        raise PermissionDenied
    return item


def collection_is_out(collection: RotatingCollection) -> bool:
    return collection.rotations.filter(status__in=Rotation.OUT_STATUSES).exists()


# --- Search ----------------------------------------------------------------------------------


def _digits(query: str) -> str:
    """The digits of an ISBN or barcode typed with hyphens or spaces ("978-604-2-…")."""
    compact = query.replace("-", "").replace(" ", "")
    return compact if compact.isdigit() and len(compact) >= 4 else ""


def item_search_q(query: str, prefix: str = "") -> Q:
    """Accent-insensitive match on an item's title, authors, publisher, call number, barcode
    and ISBN ("be men" finds "Dế Mèn phiêu lưu ký")."""
    term = normalise(query)
    q = Q()
    for field in ("title", "authors", "publisher", "call_number", "barcode"):
        q |= Q(**{f"{prefix}{field}__unaccent__icontains": term})
    digits = _digits(query)
    if digits:
        q |= Q(**{f"{prefix}isbn__contains": digits})
    return q


def search_collections(qs: QuerySet[RotatingCollection], query: str) -> QuerySet[RotatingCollection]:
    """Collections whose code, name, theme or description match, or that hold a matching item."""
    term = normalise(query)
    if not term:
        return qs
    q = Q()
    for field in ("code", "name", "theme", "description"):
        q |= Q(**{f"{field}__unaccent__icontains": term})
    items = Item.objects.filter(item_search_q(query), collection__isnull=False).values("collection_id")
    return qs.filter(q | Q(pk__in=items))


def search_items(qs: QuerySet[Item], query: str) -> QuerySet[Item]:
    return qs.filter(item_search_q(query)) if normalise(query) else qs


def collection_totals(collection: RotatingCollection) -> dict[str, int]:
    """Titles and copies of a collection, in one aggregate query."""
    totals = collection.items.aggregate(titles=Count("pk"), copies=Sum("copies"))
    return {"titles": totals["titles"] or 0, "copies": totals["copies"] or 0}
