"""How the apps plug into the shell without editing it.

Each domain app may have a `navigation.py` with either or both of:

    def nav_items(request) -> list[NavItem]      # entries of the top navigation bar
    def home_panels(request) -> list[Panel]      # cards on the user's home page

The shell collects them in the order of DOMAIN_APPS. An app that is not ready simply
offers nothing.
"""

from dataclasses import dataclass, field
from importlib import import_module

DOMAIN_APPS = ["directory", "programs", "reports", "training", "circulation", "notifications"]


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


def _hooks(name: str):
    for app in DOMAIN_APPS:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.navigation":
                raise
            continue
        hook = getattr(module, name, None)
        if hook is not None:
            yield hook


def nav_items(request) -> list[NavItem]:
    items: list[NavItem] = []
    for hook in _hooks("nav_items"):
        items.extend(hook(request))
    for item in items:
        prefix = item.active_prefix or item.url
        item.active = bool(prefix) and request.path.startswith(prefix)
    return items


def home_panels(request) -> list[Panel]:
    panels: list[Panel] = []
    for hook in _hooks("home_panels"):
        panels.extend(hook(request))
    return sorted(panels, key=lambda p: p.order)
