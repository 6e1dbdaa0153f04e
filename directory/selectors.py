"""The one place that answers "what may this user see?".

Every list, detail view, export and API call of every app narrows its queryset with
`scope_queryset(user, qs, org_field=...)` (or the helpers built on it), so a rule about
visibility lives here and nowhere else:

- leadership, focal officers, system administrators and superusers see everything;
- district officers and public-library staff see the organisations of their own district
  (and everything attached to them);
- a school librarian sees their school and its library;
- anyone else (no organisation, inactive) sees nothing.

Province-level organisations (the departments and focal units) are contacts everyone may
look up in the directory, but their data is not thereby opened to district users.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .models import AdministrativeUnit, Organisation, User

PROVINCE_WIDE_ROLES = {User.Role.LEADERSHIP, User.Role.FOCAL_OFFICER, User.Role.SYSADMIN}
DISTRICT_ROLES = {User.Role.DISTRICT_OFFICER, User.Role.LIBRARY_STAFF}


@dataclass(frozen=True)
class Scope:
    """What a user may see. `everything` wins; otherwise the district, otherwise the ids."""

    everything: bool = False
    district_id: int | None = None
    organisation_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not self.everything and self.district_id is None and not self.organisation_ids


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
    if scope.organisation_ids:
        return queryset.filter(**{f"{pk_path}__in": scope.organisation_ids})
    return queryset.none()


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


def is_province_manager(user) -> bool:
    """Runs the programme province-wide (focal officers, system administrators): sees drafts
    and unpublished material, manages every course. Leadership reads but does not manage."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (User.Role.FOCAL_OFFICER, User.Role.SYSADMIN))
    )


def is_district_office_member(user) -> bool:
    """A district officer working in one of the district's three offices (culture office,
    culture centre, education office): the one membership check of the portal."""
    org = user.organisation if user is not None and user.is_authenticated and user.is_active else None
    return bool(org is not None and user.role == User.Role.DISTRICT_OFFICER and org.is_district_office)


def organisations_for_user(user) -> QuerySet[Organisation]:
    """Organisations the user may open: their scope plus the province-level contacts."""
    qs = Organisation.objects.select_related("district", "parent")
    scope = user_scope(user)
    if scope.everything:
        return qs
    if scope.is_empty:
        return qs.none()
    visible = scope_queryset(user, Organisation.objects.all(), org_field="").values("pk")
    return qs.filter(Q(pk__in=visible) | Q(district__isnull=True))


def get_organisation_for_user(user, pk: int) -> Organisation:
    """The organisation, or 404 when it does not exist or lies outside the user's scope."""
    try:
        return organisations_for_user(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_see_organisation(user, organisation: Organisation) -> bool:
    return scope_queryset(user, Organisation.objects.filter(pk=organisation.pk), org_field="").exists()


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


def focal_unit_for_sector(sector: str) -> Organisation | None:
    kind = (
        Organisation.Kind.PROVINCIAL_LIBRARY if sector == Organisation.Sector.CULTURE else Organisation.Kind.DOET_OFFICE
    )
    return Organisation.objects.filter(kind=kind).order_by("pk").first()


def district_summary(district: AdministrativeUnit) -> dict:
    """Counts of the district's organisations by kind, in one query."""
    rows = Organisation.objects.filter(district=district).values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}


def home_directory(user) -> dict:
    """The directory part of the home page, by what the user may see: the province overview
    for province-wide roles; for a district user their district's offices and libraries (the
    schools counted); for a school librarian their own school and library, and the district
    education office as the one district contact they work with."""
    scope = user_scope(user)
    if scope.everything:
        return {"district_rows": province_overview()}
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
    term = normalise(query)
    if term:
        qs = qs.filter(
            Q(name__unaccent__icontains=term) | Q(district__name__unaccent__icontains=term) | Q(code__icontains=term)
        )
    return qs


def province_overview(*, on=None) -> QuerySet[AdministrativeUnit]:
    """Every district that exists on `on` (today by default) with its organisations counted
    by kind — one query whatever the number of districts."""
    from django.utils import timezone

    on = on or timezone.localdate()
    kinds = Organisation.Kind
    return districts(on=on).annotate(
        n_offices=Count("organisations", filter=Q(organisations__kind__in=Organisation.DISTRICT_OFFICE_KINDS)),
        n_public_libraries=Count("organisations", filter=Q(organisations__kind=kinds.PUBLIC_LIBRARY)),
        n_schools=Count("organisations", filter=Q(organisations__kind=kinds.SCHOOL)),
        n_school_libraries=Count("organisations", filter=Q(organisations__kind=kinds.SCHOOL_LIBRARY)),
    )
