"""The one place that answers "what may this user see?".

Every list, detail view, export and API call of every app narrows its queryset with
`scope_queryset(user, qs, org_field=...)` (or the helpers built on it), so a rule about
visibility lives here and nowhere else:

- leadership, focal officers, system administrators and superusers see everything;
- district officers and public-library staff see the organisations of their own district
  (and everything attached to them);
- after the 2025 reorganisation, an officer of a commune's culture-social office sees the
  organisations of their commune (its schools and libraries); earlier district records are
  opened to them read-only by the apps' selectors through `predecessor_organisation_ids`;
- a school librarian sees their school and its library;
- anyone else (no organisation, inactive) sees nothing.

Province-level organisations (the departments and focal units) are contacts everyone may
look up in the directory, but their data is not thereby opened to district users.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core import paging

from .access import is_district_office_member, is_province_manager  # noqa: F401  the rules live in access.py; kept importable here for callers in other apps
from .models import AdministrativeUnit, Organisation, User

PROVINCE_WIDE_ROLES = {User.Role.LEADERSHIP, User.Role.FOCAL_OFFICER, User.Role.SYSADMIN}
DISTRICT_ROLES = {User.Role.DISTRICT_OFFICER, User.Role.LIBRARY_STAFF}


@dataclass(frozen=True)
class Scope:
    """What a user may see. `everything` wins; otherwise the district, otherwise the ids."""

    everything: bool = False
    district_id: int | None = None
    organisation_ids: frozenset[int] = frozenset()
    commune_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return (
            not self.everything and self.district_id is None and self.commune_id is None and not self.organisation_ids
        )


def user_scope(user) -> Scope:
    """The user's scope, computed once per user object (one object per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    # Keyed on what the scope depends on, so a changed role or organisation is never stale.
    key = (user.role, user.organisation_id, user.is_superuser)
    cached = getattr(user, "_portal_scope", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    scope = _compute_scope(user)
    user._portal_scope = (key, scope)
    return scope


def _compute_scope(user) -> Scope:
    if user.is_superuser or user.role in PROVINCE_WIDE_ROLES:
        return Scope(everything=True)
    org = user.organisation
    if org is None:
        return Scope()
    if user.role in DISTRICT_ROLES and org.district_id:
        return Scope(district_id=org.district_id)
    if user.role in DISTRICT_ROLES and org.kind == Organisation.Kind.CULTURE_SOCIAL_OFFICE and org.commune_id:
        return Scope(commune_id=org.commune_id)
    if user.role == User.Role.SCHOOL_LIBRARIAN:
        # Their school and the school's library (whichever of the two the account is tied to).
        school_id = org.parent_id if org.kind == Organisation.Kind.SCHOOL_LIBRARY and org.parent_id else org.pk
        ids = {school_id, org.pk}
        ids.update(Organisation.objects.filter(parent_id=school_id).values_list("pk", flat=True))
        return Scope(organisation_ids=frozenset(ids))
    return Scope(organisation_ids=frozenset({org.pk}))


def scope_queryset(user, queryset: QuerySet, *, org_field: str) -> QuerySet:
    """Narrow any queryset to what `user` may see.

    `org_field` is the path from the queryset's model to an Organisation ("organisation",
    "report__organisation", "" for Organisation itself). Returns an empty queryset for a
    user who may see nothing.
    """
    scope = user_scope(user)
    if scope.everything:
        return queryset
    prefix = f"{org_field}__" if org_field else ""
    pk_path = org_field or "pk"
    if scope.district_id is not None:
        return queryset.filter(**{f"{prefix}district_id": scope.district_id})
    if scope.commune_id is not None:
        return queryset.filter(**{f"{prefix}commune_id": scope.commune_id})
    if scope.organisation_ids:
        return queryset.filter(**{f"{pk_path}__in": scope.organisation_ids})
    return queryset.none()


def with_history(user, queryset: QuerySet, *, org_field: str) -> QuerySet:
    """`scope_queryset`, plus the records of the organisations a reorganisation closed and
    whose work passed to the user's organisation — the history a commune officer reads (the
    apps' edit checks still want a member of the record's own organisation)."""
    visible = scope_queryset(user, queryset, org_field=org_field)
    if user_scope(user).everything or not getattr(user, "organisation_id", None):
        return visible
    history = predecessor_organisation_ids(user.organisation)
    if not history:
        return visible
    pk_path = org_field or "pk"
    return queryset.filter(Q(pk__in=visible.values("pk")) | Q(**{f"{pk_path}__in": history}))


def scope_queryset_by_district(user, queryset: QuerySet, *, district_field: str, org_field: str) -> QuerySet:
    """Narrow records tied to a district and to organisations (an inspection of a
    district's schools): district users see their district's, a user scoped to
    organisations (a school librarian) those involving their organisations."""
    scope = user_scope(user)
    if scope.everything:
        return queryset
    if scope.district_id is not None:
        return queryset.filter(**{f"{district_field}_id": scope.district_id})
    return scope_queryset(user, queryset, org_field=org_field).distinct()


def sees_whole_province(user) -> bool:
    """Whether the user's scope is the whole province (leadership, focal officers, administrators):
    the condition for the province-wide pages (reorganisations, proposals)."""
    return user_scope(user).everything


def organisations_for_user(user) -> QuerySet[Organisation]:
    """Organisations the user may open: their scope plus the province-level contacts."""
    qs = Organisation.objects.select_related("district", "commune", "parent")
    scope = user_scope(user)
    if scope.everything:
        return qs
    if scope.is_empty:
        return qs.none()
    visible = scope_queryset(user, Organisation.objects.all(), org_field="").values("pk")
    return qs.filter(Q(pk__in=visible) | Q(district__isnull=True))


class DirectoryOrder:
    """`queryset` in the directory's order (district code, kind, name; organisations without
    a district last), as a sequence a Paginator slices: two counts kept under the directory's
    version (core.paging) and one query a page whatever the size of the country.

    Sorting the whole table behind a LEFT JOIN to the districts reads every organisation of
    the country for each page; the organisations with a district, joined INNER, are read
    district by district along the index on the district code (an incremental sort of one
    district's rows), and the few without a district follow as a second part."""

    def __init__(self, queryset: QuerySet[Organisation]):
        self.queryset = queryset
        self._counts = None

    def _split(self) -> tuple[int, int]:
        if self._counts is None:
            # Two counts: COUNT(district_id) would read every row, these count on indexes;
            # both kept until the directory changes, not recounted for every page.
            total = paging.count(self.queryset)
            self._counts = (total, total - paging.count(self.queryset.filter(district__isnull=True)))
        return self._counts

    def count(self) -> int:
        return self._split()[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        total, placed = self._split()
        start, stop = index.start or 0, total if index.stop is None else index.stop
        rows = []
        if start < placed:
            placed_rows = self.queryset.filter(district__isnull=False).order_by("district__code", "kind", "name", "pk")
            rows += list(placed_rows[start : min(stop, placed)])
        if stop > placed:
            unplaced = self.queryset.filter(district__isnull=True).order_by("kind", "name", "pk")
            rows += list(unplaced[max(start - placed, 0) : stop - placed])
        return rows


def get_organisation_for_user(user, pk: int) -> Organisation:
    """The organisation, or 404 when it does not exist or lies outside the user's scope."""
    try:
        return organisations_for_user(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_see_organisation(user, organisation: Organisation) -> bool:
    return scope_queryset(user, Organisation.objects.filter(pk=organisation.pk), org_field="").exists()


def sees_everything(user) -> bool:
    """Whether the user's scope is the whole province (leadership, focal officers, sysadmin):
    they see the reorganisations and the whole directory."""
    return user_scope(user).everything


def units_for_user(user) -> QuerySet[AdministrativeUnit]:
    """Administrative units are reference data: the same for every signed-in user."""
    return AdministrativeUnit.objects.select_related("parent", "merged_into").order_by("code")


def districts(*, on=None) -> QuerySet[AdministrativeUnit]:
    """Districts/cities of the province, optionally only those that existed on a day."""
    qs = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT)
    if on is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    return qs.order_by("code")


def colleagues(user) -> QuerySet[User]:
    if not user.organisation_id:
        return User.objects.none()
    return (
        User.objects.filter(organisation_id=user.organisation_id, is_active=True)
        .exclude(pk=user.pk)
        .order_by("full_name")
    )


def home_directory(user) -> dict:
    """The directory part of the home page, by what the user may see: the province overview
    for province-wide roles; for a district user their district's offices and libraries (the
    schools counted); for a school librarian their own school and library, and the district
    education office as the one district contact they work with."""
    scope = user_scope(user)
    if scope.everything:
        # The first districts by code, and how many there are: a country's 700 districts
        # belong in the directory, not on everyone's home page.
        return {
            "district_rows": province_overview(limit=HOME_DISTRICT_ROWS),
            "district_total": districts(on=timezone.localdate()).count(),
        }
    org = user.organisation if user.is_authenticated else None
    if org is None or not org.district_id:
        return {}
    visible = organisations_for_user(user).filter(district_id=org.district_id)
    if scope.district_id is not None:
        return {
            "district": org.district,
            # Offices and libraries by name; schools are many, so they are counted.
            "district_organisations": visible.exclude(
                kind__in=[Organisation.Kind.SCHOOL, Organisation.Kind.SCHOOL_LIBRARY]
            ),
            "district_school_count": visible.filter(kind=Organisation.Kind.SCHOOL).count(),
        }
    contacts = Organisation.objects.filter(district_id=org.district_id, kind=Organisation.Kind.EDUCATION_OFFICE)
    return {"district": org.district, "own_organisations": visible, "district_contacts": contacts}


def organisations_search(user, query: str, *, kind: str | None = None) -> QuerySet[Organisation]:
    """Accent-insensitive search ("lac son" finds "Lạc Sơn") within what the user may see."""
    from core.search import normalise

    qs = organisations_for_user(user)
    if kind:
        qs = qs.filter(kind=kind)
    if normalise(query):
        qs = qs.filter(organisation_search_q(query))
    return qs


def districts_matching(text: str, *, limit: int = 50) -> list[AdministrativeUnit]:
    """The district whose official code is `text`, else those whose name contains it
    (accents ignored), at most `limit`: what a typed district filter designates."""
    from core.search import normalise

    code, term = text.strip(), normalise(text)
    match = Q(code=code) | Q(name__unaccent__icontains=term) if term else Q(code=code)
    units = list(
        AdministrativeUnit.objects.filter(match, level=AdministrativeUnit.Level.DISTRICT).order_by("code")[:limit]
    )
    exact = [u for u in units if u.code == code]
    return exact or units


def organisation_search_q(query: str) -> Q:
    """The condition of the directory search (page and API alike): name, district or commune name or code,
    accents ignored. An empty query matches everything."""
    from core.search import normalise

    term = normalise(query)
    if not term:
        return Q()
    return (
        Q(name__unaccent__icontains=term)
        | Q(district__name__unaccent__icontains=term)
        | Q(commune__name__unaccent__icontains=term)
        | Q(code__icontains=term)
    )


HOME_DISTRICT_ROWS = 20


def province_overview(*, on=None, limit: int | None = None) -> QuerySet[AdministrativeUnit]:
    """Every district that exists on `on` (today by default) with its organisations counted
    by kind — one query whatever the number of districts. Each count is a correlated
    subquery on the (kind, district) index, so with `limit` only the districts shown are
    counted (a country of 700 districts costs the same as a province of 11)."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    on = on or timezone.localdate()
    kinds = Organisation.Kind

    def count(*of_kinds):
        rows = (
            Organisation.objects.filter(district=OuterRef("pk"), kind__in=of_kinds)
            .order_by()
            .values("district")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    qs = districts(on=on)
    if limit is not None:
        qs = qs[:limit]
    return qs.annotate(
        n_offices=count(*Organisation.DISTRICT_OFFICE_KINDS),
        n_public_libraries=count(kinds.PUBLIC_LIBRARY),
        n_schools=count(kinds.SCHOOL),
        n_school_libraries=count(kinds.SCHOOL_LIBRARY),
    )


# --- Reading the directory as of a day ----------------------------------------------------


def _valid_on(day, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def units_on(day, *, level: str | None = None) -> QuerySet[AdministrativeUnit]:
    """Administrative units in force on `day` (the map as it stood then)."""
    qs = AdministrativeUnit.objects.filter(_valid_on(day))
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("code")


def province_on(day) -> AdministrativeUnit | None:
    """The province the portal served on `day`: Hòa Bình until 30/06/2025, Phú Thọ after."""
    return units_on(day, level=AdministrativeUnit.Level.PROVINCE).order_by("valid_from", "code").last()


def organisations_on(day, queryset: QuerySet[Organisation] | None = None) -> QuerySet[Organisation]:
    """Organisations that existed on `day`."""
    qs = Organisation.objects.all() if queryset is None else queryset
    return qs.filter(_valid_on(day))


def organisation_names_on(organisation_ids, day) -> dict[int, str]:
    """Organisation id → the name in force on `day` (a later rename or transfer recorded by a
    reorganisation gives back the old name). Two queries whatever the number of ids."""
    from .models import OrganisationChange

    ids = list(organisation_ids)
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    later = (
        OrganisationChange.objects.filter(organisation_id__in=ids, effective_date__gt=day)
        .exclude(old_name="")
        .exclude(action=OrganisationChange.Action.CLOSED)
        .order_by("organisation_id", "-effective_date")
        .values_list("organisation_id", "old_name")
    )
    for org_id, old_name in later:  # earliest later change last: its old name wins
        names[org_id] = old_name
    return names


def organisation_name_on(organisation: Organisation, day) -> str:
    return organisation_names_on([organisation.pk], day).get(organisation.pk, organisation.name)


def predecessor_organisation_ids(organisation: Organisation | None) -> set[int]:
    """Organisations a reorganisation closed and whose work passed to `organisation` (a
    commune's culture-social office inherits its former district's three offices). Their
    earlier records are the successor's history, to read, not to edit. One query."""
    from .models import OrganisationChange

    if organisation is None:
        return set()
    return set(
        OrganisationChange.objects.filter(action=OrganisationChange.Action.CLOSED, successors=organisation).values_list(
            "organisation_id", flat=True
        )
    )


def inherited_changes(organisation: Organisation):
    """The closures whose work passed to `organisation`, with the closed body (one query)."""
    from .models import OrganisationChange

    return (
        OrganisationChange.objects.filter(action=OrganisationChange.Action.CLOSED, successors=organisation)
        .select_related("organisation")
        .order_by("organisation__kind", "organisation__code")
    )


def former_districts(unit_ids) -> dict[int, AdministrativeUnit]:
    """Unit id → the district whose territory it lies in, through the successor links: a
    district maps to itself, a post-2025 commune to the district it took over (the first by
    code when it took parts of several). One query."""
    from .models import UnitSuccession

    ids = set(unit_ids)
    out = {u.pk: u for u in AdministrativeUnit.objects.filter(pk__in=ids, level=AdministrativeUnit.Level.DISTRICT)}
    links = (
        UnitSuccession.objects.filter(
            successor_id__in=ids - set(out), predecessor__level=AdministrativeUnit.Level.DISTRICT
        )
        .select_related("predecessor")
        .order_by("successor_id", "-predecessor__code")
    )
    for link in links:
        out[link.successor_id] = link.predecessor
    return out


def reorganisations():
    """Every recorded reorganisation with its parts counted (one query)."""
    from .models import Reorganisation

    return Reorganisation.objects.annotate(
        n_units=Count("unit_changes", distinct=True),
        n_organisations=Count("organisation_changes", distinct=True),
        n_accounts=Count("account_moves", distinct=True),
    ).order_by("-effective_date")


def get_reorganisation_for_user(user, code: str):
    """The reorganisation for the province's officers (leadership, focal officers,
    administrators): 404 when unknown, 403 for anyone else."""
    from django.core.exceptions import PermissionDenied

    from .models import Reorganisation

    if not user_scope(user).everything:
        raise PermissionDenied
    try:
        return Reorganisation.objects.select_related("applied_by").get(code=code)
    except Reorganisation.DoesNotExist:
        raise Http404 from None


@dataclass
class ReorganisationSummary:
    """What a reorganisation changed and who reports since, grouped by former district."""

    reorganisation: object
    territories: list  # [{"district", "communes": [{"unit", "office", "members"}], "closed": [...]}]
    renamed: list
    libraries: list
    n_schools: int
    n_units_created: int
    n_units_closed: int
    moves: list
    n_periods: int

    @property
    def n_communes(self) -> int:
        return sum(len(t["communes"]) for t in self.territories)


def reorganisation_summary(reorganisation) -> ReorganisationSummary:
    """Everything the reorganisation page shows, in a fixed number of queries (eight)
    whatever the number of communes, offices and accounts."""
    from django.db.models import Prefetch

    from .models import OrganisationChange, UnitSuccession

    links = list(
        UnitSuccession.objects.filter(
            reorganisation=reorganisation, predecessor__level=AdministrativeUnit.Level.DISTRICT
        )
        .select_related("predecessor", "successor")
        .order_by("predecessor__code", "successor__code")
    )
    members = Prefetch(
        "members", queryset=User.objects.filter(is_active=True).order_by("-is_head", "username"), to_attr="active"
    )
    offices = {
        o.commune_id: o
        for o in Organisation.objects.filter(
            changes__reorganisation=reorganisation,
            changes__action=OrganisationChange.Action.CREATED,
        ).prefetch_related(members)
    }
    changes = list(
        OrganisationChange.objects.filter(reorganisation=reorganisation)
        .exclude(action=OrganisationChange.Action.CREATED)
        .select_related("organisation", "organisation__district", "new_parent")
        .order_by("organisation__district__code", "organisation__kind", "organisation__code")
    )
    closed_by_district: dict = {}
    renamed, libraries, n_schools = [], [], 0
    for change in changes:
        org = change.organisation
        if change.action == OrganisationChange.Action.CLOSED:
            closed_by_district.setdefault(org.district_id, []).append(change)
        elif change.action == OrganisationChange.Action.RENAMED:
            renamed.append(change)
        elif org.kind == Organisation.Kind.PUBLIC_LIBRARY:
            libraries.append(change)
        elif org.kind == Organisation.Kind.SCHOOL:
            n_schools += 1
    territories: dict = {}
    for link in links:
        entry = territories.setdefault(
            link.predecessor_id,
            {"district": link.predecessor, "communes": [], "closed": closed_by_district.get(link.predecessor_id, [])},
        )
        office = offices.get(link.successor_id)
        entry["communes"].append(
            {"unit": link.successor, "office": office, "members": office.active if office else [], "note": link.note}
        )
    unit_counts = dict(
        reorganisation.unit_changes.values("action").annotate(n=Count("pk")).values_list("action", "n").order_by()
    )
    moves = list(
        reorganisation.account_moves.select_related("user", "from_organisation", "to_organisation").order_by(
            "from_organisation__district__code", "user__username"
        )
    )
    return ReorganisationSummary(
        reorganisation=reorganisation,
        territories=list(territories.values()),
        renamed=renamed,
        libraries=libraries,
        n_schools=n_schools,
        n_units_created=unit_counts.get("created", 0),
        n_units_closed=unit_counts.get("closed", 0),
        moves=moves,
        n_periods=len(reorganisation.undo_data.get("periods", {})),
    )
