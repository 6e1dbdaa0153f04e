"""How the apps plug into the shell without editing it.

Each app declares in its AppConfig (see core.registry) either or both of:

    nav_items(request) -> list[NavItem]      # entries of the top navigation bar
    home_panels(request) -> list[Panel]      # cards on the user's home page

The shell collects them in the order of INSTALLED_APPS.
"""

from dataclasses import dataclass, field

from . import registry


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


def nav_items(request) -> list[NavItem]:
    items: list[NavItem] = []
    for _app, hook in registry.providers("nav_items"):
        items.extend(hook(request))
    for item in items:
        prefix = item.active_prefix or item.url
        item.active = bool(prefix) and request.path.startswith(prefix)
    return items


def home_panels(request) -> list[Panel]:
    panels: list[Panel] = []
    for _app, hook in registry.providers("home_panels"):
        panels.extend(hook(request))
    return sorted(panels, key=lambda p: p.order)
