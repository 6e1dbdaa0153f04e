from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination keeps filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def paginate(context, items, per_page: int):
    """The page of `items` the request asks for (?page=), for lists a template shows a page
    at a time: `{% paginate local_plans 36 as page %}` … `{% include "includes/pagination.html" %}`.
    `items` is sliced, so a queryset (or any sequence that counts and slices lazily) reads
    one page only."""
    request = context.get("request")
    return Paginator(items, per_page).get_page(request.GET.get("page") if request else None)
