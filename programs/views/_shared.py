"""Small helpers the programs views share."""

from django.core.exceptions import ValidationError

from .. import selectors


def programme_in_force(year: int, *, field: str, message: str):
    """The programme in force in ``year``; refused on the form's ``field`` when there is none."""
    programme = selectors.programme_for_year(year)
    if programme is None:
        raise ValidationError({field: message})
    return programme
