"""How the apps plug into the shell without editing it.

Each app declares in its AppConfig (see core.registry) either or both of:

    nav_items(request) -> list[NavItem]      # entries of the top navigation bar
    home_panels(request) -> list[Panel]      # cards on the user's home page

The shell collects them in the order of INSTALLED_APPS.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string

from . import registry, versioned

# How long a user's rendered panels are kept at most: what depends on the clock rather than
# on the data ("meetings in the next 45 days") is at most this old; data changes renew them
# at once (core.versioned.DATA).
PANEL_TIMEOUT = 300


@dataclass
class NavItem:
    label: str
    url: str
    icon: str = ""  # a Bootstrap Icons name, e.g. "journal-text"
    active_prefix: str = ""  # path prefix that marks the item active
    badge: int | None = None
    children: list["NavItem"] = field(default_factory=list)


@dataclass
class Panel:
    """A card on the home page rendered from `template` with `context`."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    width: str = "col-lg-6"
    html: str = ""  # rendered already (a cached panel); the template is then not drawn again


def nav_items(request) -> list[NavItem]:
    """Every app's entries of the top bar for this user. The entries of apps that declare
    ``home_panels_cached`` (their badges are counts of those apps' data) are kept per user,
    language and day under ``versioned.DATA``, like the home panels: every page draws the
    bar, and building it anew runs a few queries and a dozen URL reversals."""
    cached_apps = set(registry.cached_panel_apps())
    kept = _kept_for_user(
        "nav-items",
        request.user,
        lambda: {label: hook(request) for label, hook in registry.providers("nav_items") if label in cached_apps},
    )
    items: list[NavItem] = []
    for label, hook in registry.providers("nav_items"):
        items.extend(kept[label] if label in cached_apps else hook(request))
    for item in items:
        prefix = item.active_prefix or item.url
        item.active = bool(prefix) and request.path.startswith(prefix)
    return items


def home_panels(request) -> list[Panel]:
    """Every app's cards for this user. The cards of apps that declare ``home_panels_cached``
    are kept rendered, per user, language and day, under ``versioned.DATA``: a home page
    visited again draws them from one cache read instead of a dozen queries and templates."""
    user = request.user
    cached_apps = set(registry.cached_panel_apps())
    rendered = _kept_for_user(
        "home-panels",
        user,
        lambda: [
            _rendered(panel, user)
            for label, hook in registry.providers("home_panels")
            if label in cached_apps
            for panel in hook(request)
        ],
    )
    panels = list(rendered)
    for label, hook in registry.providers("home_panels"):
        if label not in cached_apps:
            panels.extend(hook(request))
    return sorted(panels, key=lambda p: p.order)


def _kept_for_user(kind: str, user, compute):
    return versioned.kept_for(user, kind, compute, timeout=PANEL_TIMEOUT)


def _rendered(panel: Panel, user) -> Panel:
    html = render_to_string(panel.template, {"ctx": panel.context, "user": user})
    return Panel(panel.title, panel.template, {}, panel.order, panel.width, html=html)
