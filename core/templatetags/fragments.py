"""`{% datacache %}`: a part of a page kept rendered until the data it shows changes.

    {% load fragments %}
    {% datacache "completeness-tables" period.pk sector page.number %} … {% enddatacache %}

The part is kept for the signed-in person, the language and the day, with the values named
after the name, under ``core.versioned.DATA``: any write to the tables of the apps that
version follows (directory, programmes, reports, training, rotation — core.registry
.cached_panel_apps) renews it on the next visit, whichever service, import, admin page or
raw SQL made it. What depends on the clock rather than on the data is at most
``FRAGMENT_TIMEOUT`` old.

Use it only around what reads those apps' tables; `follows=<model>` draws the part every
time unless DATA follows that model's table (a generic template, such as the admin's
changelist). A part holding a form's CSRF token, a page answering a POST (a form sent back
with its errors) and a visitor who is not signed in are drawn every time and never kept.
"""

from django import template
from django.utils.safestring import mark_safe

from core import versioned
from core.navigation import PANEL_TIMEOUT

register = template.Library()

FRAGMENT_TIMEOUT = PANEL_TIMEOUT
_CSRF_FIELD = 'name="csrfmiddlewaretoken"'
_NOT_KEPT = object()


class DataCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on, follows):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.follows = follows

    def render(self, context):
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.method not in ("GET", "HEAD"):
            # A form sent back with its errors is drawn from what was sent, not kept.
            return self.nodelist.render(context)
        follows = [model.resolve(context) for model in self.follows]
        if not versioned.follows(*follows):
            return self.nodelist.render(context)
        vary = [v.resolve(context) for v in self.vary_on]
        drawn = None

        def draw():
            nonlocal drawn
            drawn = self.nodelist.render(context)
            return _NOT_KEPT if _CSRF_FIELD in drawn else str(drawn)

        kept = versioned.kept_for(
            user, f"fragment:{self.name}", draw, *vary, timeout=FRAGMENT_TIMEOUT, keep=lambda v: v is not _NOT_KEPT
        )
        return drawn if drawn is not None else mark_safe(kept)


@register.tag
def datacache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% datacache %} needs a name")
    nodelist = parser.parse(("enddatacache",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    vary_on = [parser.compile_filter(bit) for bit in bits[2:] if not bit.startswith("follows=")]
    follows = [parser.compile_filter(bit.removeprefix("follows=")) for bit in bits[2:] if bit.startswith("follows=")]
    return DataCacheNode(nodelist, name, vary_on, follows)
