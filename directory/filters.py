"""The organisation list's filters, shared by the directory page and `/api/v1/organisations/`
so that the page and its API list never disagree. They narrow a queryset already scoped by
`selectors.organisations_for_user`: a filter can only hide rows."""

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Organisation
from .selectors import organisation_search_q

SELECT = {"class": "form-select"}


def valid_on(queryset, day):
    """Rows whose `valid_from`/`valid_to` include `day`."""
    return queryset.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


class OrganisationFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("Tìm kiếm"), max_length=100)
    district = filters.ModelChoiceFilter(
        field_name="district",
        to_field_name="code",
        queryset=AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT).order_by("code"),
        label=_("Huyện / thành phố"),
        empty_label=_("Tất cả"),
        widget=forms.Select(attrs=SELECT),
    )
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
