"""One registry of what each app of the portal provides to the shell.

Every domain app's ``AppConfig`` subclasses :class:`PortalAppConfig` and declares each of the
attributes below, as the dotted path of what it provides or ``None`` (``{}`` for
``health_checks``) when it provides nothing of that kind. The shell asks here, never imports a
domain app itself, so core depends on no domain app, and a missing provider is a declaration
that the reader can see, not an ``ImportError`` swallowed at run time. A provider that fails to
import fails loudly.

==================  ===========================================================================
``nav_items``       ``f(request) -> list[core.navigation.NavItem]``: top navigation entries
``home_panels``     ``f(request) -> list[core.navigation.Panel]``: cards on the home page
``home_panels_cached``  ``True`` when those cards are drawn only from the tables of this app
                    and of the watched apps (``cached_panel_apps``): the shell then keeps them,
                    rendered, under ``core.versioned.DATA``, which every write to those tables
                    renews; ``False`` for cards that read anything else (the inbox)
``home_view``       the view of the home page (exactly one app declares it)
``shell_context``   ``f(user) -> dict`` merged into every page's context (signed-in users)
``deadlines``       ``f(*, start, end) -> Iterable[core.deadlines.Deadline]`` (the reminder engine)
``report_figures``  ``f(*, organisation, start, end) -> dict[str, int]``: prefill of 6-monthly reports
``health_checks``   ``{name: path of f() -> {"ok": bool, ...}}`` shown on /healthz
``history_kinds``   ``{kind: (path of the access helper f(user, pk), detail URL name, label)}``:
                    objects with a "Lịch sử thay đổi" page (core.history)
``notify``          ``f(*, user, title, body, url)``: puts a message in a person's inbox (other
                    apps fall back to e-mail when no app declares one)
``demo_seed``       ``f(*, stdout)`` loading the app's demo data; ``demo_order`` says when (ascending)
==================  ===========================================================================

An app's ``apps.py`` imports this module (``from core import registry``), not the class: Django
takes the AppConfig of an ``apps.py`` by itself only when exactly one AppConfig subclass is
named in it.

Apps are asked in the order of ``INSTALLED_APPS`` (that is the order of the navigation bar),
except demo data, which goes by ``demo_order``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

PROVIDES = (
    "nav_items",
    "home_panels",
    "home_panels_cached",
    "home_view",
    "shell_context",
    "deadlines",
    "report_figures",
    "health_checks",
    "history_kinds",
    "notify",
    "demo_seed",
    "demo_order",
)


class PortalAppConfig(AppConfig):
    """An app of the portal: declares every one of ``PROVIDES`` (see the module docstring)."""

    def ready(self):
        missing = [name for name in PROVIDES if not hasattr(self, name)]
        if missing:
            raise ImproperlyConfigured(f"{self.name}: AppConfig does not declare {', '.join(missing)}")


def portal_apps() -> list[PortalAppConfig]:
    return [config for config in apps.get_app_configs() if isinstance(config, PortalAppConfig)]


def providers(kind: str) -> Iterator[tuple[str, Callable[..., Any]]]:
    """(app label, provider) for every app that provides ``kind``, in INSTALLED_APPS order."""
    for config in portal_apps():
        path = getattr(config, kind)
        if path is not None:
            yield config.label, import_string(path)


def provider(label: str, kind: str) -> Callable[..., Any] | None:
    """What app ``label`` provides of ``kind``, or None when it declares that it provides none."""
    config = apps.get_app_config(label)
    path = getattr(config, kind)
    return import_string(path) if path is not None else None


def health_checks() -> Iterator[tuple[str, Callable[[], dict]]]:
    for config in portal_apps():
        for name, path in config.health_checks.items():
            yield name, import_string(path)


def history_kinds() -> dict[str, tuple]:
    """Every kind of object with a history page, from every app."""
    kinds: dict[str, tuple] = {}
    for config in portal_apps():
        kinds.update(config.history_kinds)
    return kinds


def demo_seeders() -> list[tuple[str, Callable[..., Any]]]:
    """Demo loaders by ``demo_order``: apps whose demo feeds another's come first."""
    ordered = sorted((c for c in portal_apps() if c.demo_seed is not None), key=lambda c: c.demo_order)
    return [(c.label, import_string(c.demo_seed)) for c in ordered]


def cached_panel_apps() -> list[str]:
    """The apps whose panels the shell caches, and directory, whose users and organisations
    every panel reads: the apps whose writes renew ``core.versioned.DATA``."""
    return ["directory", *(c.label for c in portal_apps() if c.home_panels_cached)]


def home_view(request):
    """The home page, as the app that declares ``home_view`` draws it."""
    views = [view for _label, view in providers("home_view")]
    if len(views) != 1:
        raise ImproperlyConfigured(f"Exactly one app must declare home_view, found {len(views)}")
    return views[0](request)
