"""The two shapes every page that changes something takes, written once.

A *form page* shows a form, validates it, hands the cleaned data to one service, and on success
says so and redirects; a refusal from the service (a ``ValidationError``) goes back onto the form,
so the user sees it beside what they typed and nothing is changed.

An *action* is a POST from a button on a detail page (accept, return, archive, decide): it calls
one service, says what happened or why not, and redirects back.

Views stay thin: they fetch the object through their app's access helper, then call one of these.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def refusal(exc: ValidationError) -> str:
    """A service's refusal as one sentence for a message."""
    return " ".join(exc.messages)


def form_errors_as_messages(request: HttpRequest, form, *, labels: bool = True) -> None:
    """A short form posted from a detail page: its errors become messages on that page
    (each after its field's label, unless ``labels`` is False)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if labels and field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def form_page(
    request: HttpRequest,
    form,
    *,
    template: str,
    save: Callable[[dict], Any],
    success: Callable[[Any], HttpResponse | str] | str,
    message: str | Callable[[Any], str] | None = None,
    context: dict | None = None,
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save(cleaned_data)`` and redirect to ``success``.

    ``success`` is a URL, or a function of what ``save`` returned giving a URL or a response.
    A ``ValidationError`` from ``save`` is put on the form (field errors on their fields) and the
    page is shown again with a 200, as Django's own form views do.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            _add_to_form(form, exc)
        else:
            return _done(request, result, success, message)
    return render(request, template, {"form": form, **(context or {})})


def action(
    request: HttpRequest,
    call: Callable[[], Any],
    *,
    success: Callable[[Any], HttpResponse | str] | str,
    message: str | Callable[[Any], str] | None = None,
    failure: str | None = None,
) -> HttpResponse:
    """Run one service for a button; say what happened (or why not) and redirect.

    On refusal the user goes back to ``failure`` (default: ``success`` when it is a plain URL).
    """
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, refusal(exc))
        back = failure if failure is not None else success
        return redirect(back if isinstance(back, str) else request.path)
    return _done(request, result, success, message)


def form_action(
    request: HttpRequest,
    form,
    save: Callable[[dict], Any],
    *,
    success: Callable[[Any], HttpResponse | str] | str,
    message: str | Callable[[Any], str] | None = None,
    failure: str | None = None,
    invalid: str | None = None,
    labels: bool = True,
) -> HttpResponse:
    """A short form posted from a button on a detail page: when valid, an ``action`` calling
    ``save(cleaned_data)``; when not, its errors (or the one message ``invalid``) become messages
    and the user goes back to ``failure`` (default: ``success`` when it is a plain URL)."""
    if form.is_valid():
        return action(request, lambda: save(form.cleaned_data), success=success, message=message, failure=failure)
    if invalid is not None:
        messages.error(request, invalid)
    else:
        form_errors_as_messages(request, form, labels=labels)
    back = failure if failure is not None else success
    return redirect(back if isinstance(back, str) else request.path)


def _done(request, result, success, message) -> HttpResponse:
    text = message(result) if callable(message) else message
    if text:
        messages.success(request, text)
    target = success(result) if callable(success) else success
    return target if isinstance(target, HttpResponse) else redirect(target)


def _add_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
