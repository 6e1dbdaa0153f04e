"""Small helpers the programs views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from .. import selectors


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _form_errors(request, form) -> None:
    """A short form posted from a detail page: its errors become messages on that page."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _programme_for(day):
    return selectors.programme_for_year(day.year)
