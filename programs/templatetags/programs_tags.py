from django import template

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-warning",
    "in_force": "text-bg-success",
    "closed": "text-bg-dark",
    "superseded": "text-bg-light border",
    "planned": "text-bg-light border",
    "in_progress": "text-bg-info",
    "done": "text-bg-success",
    "cancelled": "text-bg-secondary",
    "open": "text-bg-warning",
    "sent": "text-bg-info",
    "accepted": "text-bg-success",
    "partly": "text-bg-primary",
    "rejected": "text-bg-danger",
    "approved": "text-bg-success",
    "returned": "text-bg-danger",
    "docst": "text-bg-primary",
    "doet": "text-bg-info",
    "joint": "text-bg-light border",
    "proposed": "text-bg-warning",
    "applied": "text-bg-success",
    "acknowledged": "text-bg-success",
}


@register.filter
def badge_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light border")


@register.filter
def number(value) -> str:
    """1234 → 1.234 (Vietnamese thousands separator)."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


@register.filter
def lookup(mapping, key):
    """{{ amended|lookup:c.pk }}: a dict's value by key in a template, or None."""
    return mapping.get(key) if mapping else None
