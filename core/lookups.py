"""A choice among many rows (districts, libraries of a country) that stays cheap: a <select>
while the rows are few, a search box once they are not, so that no page renders every
district or library of the country. The typed text is matched accents ignored
(core.search), the same way on the page and in its links."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from .search import normalise

SELECT_LIMIT = 60


class LookupWidget(forms.Widget):
    """Renders the field's choices as a <select> when there are at most `SELECT_LIMIT` of
    them, otherwise a search box (reading at most SELECT_LIMIT + 1 rows to decide)."""

    def __init__(self, attrs=None, placeholder=""):
        super().__init__(attrs)
        self.placeholder = placeholder
        self.choices = []

    def render(self, name, value, attrs=None, renderer=None):
        field = self.choices.field
        rows = list(self.choices.queryset[: SELECT_LIMIT + 1])
        if len(rows) <= SELECT_LIMIT:
            choices = [
                ("", field.empty_label or ""),
                *((field.prepare_value(r), field.label_from_instance(r)) for r in rows),
            ]
            select = forms.Select(attrs={**self.attrs, "class": "form-select"}, choices=choices)
            return select.render(name, value, attrs, renderer)
        search = {**self.attrs, "class": "form-control", "type": "search", "placeholder": self.placeholder}
        return forms.TextInput(attrs=search).render(name, value, attrs, renderer)


class LookupChoiceField(forms.ModelChoiceField):
    """One row of `queryset`: by primary key (what the <select> and links send), else by the
    text typed in the search box, matched against `search_fields` (CharFields, accents
    ignored): the row named exactly so, or the only one whose name contains the text."""

    def __init__(self, queryset, *, search_fields=("name",), placeholder="", **kwargs):
        kwargs.setdefault("widget", LookupWidget(placeholder=placeholder))
        super().__init__(queryset, **kwargs)
        self.search_fields = search_fields

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text.isdigit():
            found = self.queryset.filter(pk=int(text)).first()
            if found is not None:
                return found
        term = normalise(text)
        match = Q()
        for name in self.search_fields:
            match |= Q(**{f"{name}__unaccent__icontains": term})
        candidates = list(self.queryset.filter(match)[:20]) if term else []
        exact = [row for row in candidates if any(normalise(getattr(row, f)) == term for f in self.search_fields)]
        if len(exact) == 1 or len(candidates) == 1:
            return (exact or candidates)[0]
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
