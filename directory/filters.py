"""The organisation list's filters, shared by the directory page and `/api/v1/organisations/`
so that the page and its API list never disagree. They narrow a queryset already scoped by
`selectors.organisations_for_user`: a filter can only hide rows."""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Organisation
from .selectors import districts_matching, organisation_search_q

SELECT = {"class": "form-select"}
# A province's districts fit in a <select>; a country's (hundreds) are typed and looked up.
DISTRICT_SELECT_LIMIT = 60


class DistrictLookupWidget(forms.Widget):
    """The district filter: a <select> of the districts while they are few, otherwise a
    search box where the name (accents optional) or the official code is typed."""

    def render(self, name, value, attrs=None, renderer=None):
        units = list(
            AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT)
            .order_by("code")
            .only("code", "name_with_type")[: DISTRICT_SELECT_LIMIT + 1]
        )
        if len(units) <= DISTRICT_SELECT_LIMIT:
            choices = [("", _("Tất cả")), *((u.code, str(u)) for u in units)]
            return forms.Select(attrs=SELECT, choices=choices).render(name, value, attrs, renderer)
        search = {"class": "form-control", "type": "search", "placeholder": _("Tên hoặc mã huyện")}
        return forms.TextInput(attrs=search).render(name, value, attrs, renderer)


class DistrictLookupField(forms.CharField):
    """A district's official code, or part of its name: the districts it designates."""

    widget = DistrictLookupWidget

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        units = districts_matching(value)
        if not units:
            raise ValidationError(
                forms.ModelChoiceField.default_error_messages["invalid_choice"], code="invalid_choice"
            )
        return units


class DistrictLookupFilter(filters.Filter):
    field_class = DistrictLookupField

    def filter(self, qs, value):
        return qs.filter(district__in=value) if value else qs


def valid_on(queryset, day):
    """Rows whose `valid_from`/`valid_to` include `day`."""
    return queryset.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


class OrganisationFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Tìm kiếm"), max_length=100)
    district = DistrictLookupFilter(field_name="district__code", label=_("Huyện / thành phố"), max_length=100)
    kind = filters.ChoiceFilter(
        choices=Organisation.Kind.choices,
        label=_("Loại đơn vị"),
        empty_label=_("Tất cả"),
        widget=forms.Select(attrs=SELECT),
    )
    sector = filters.ChoiceFilter(choices=Organisation.Sector.choices, label=_("ngành"))
    as_of = filters.DateFilter(method="filter_as_of", label=_("đang hoạt động ngày (YYYY-MM-DD)"))

    class Meta:
        model = Organisation
        fields = ["q", "district", "kind", "sector", "as_of"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(organisation_search_q(value))

    def filter_as_of(self, queryset, name, value):
        return valid_on(queryset, value)
