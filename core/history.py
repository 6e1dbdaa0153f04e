"""The "Lịch sử thay đổi" page of the portal's main objects: who changed what, when, old →
new, read from django-simple-history (field changes and many-to-many links alike).

Each kind of object is fetched through its app's access helper, so the history is visible to
exactly those who may see the object (404 otherwise)."""

from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import registry

MAX_ENTRIES = 100
# Bookkeeping fields nobody needs to read about.
SKIPPED_FIELDS = {"version", "sequence", "updated_at", "created_at"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class _M2MChange:
    field: str
    old: list  # related ids
    new: list


@dataclass
class Entry:
    when: object
    who: str
    action: str  # "created", "changed", "deleted"
    reason: str
    changes: list = field(default_factory=list)


def get_object_for_history(user, kind: str, pk):
    """The object of `kind` through its app's access helper (404 when unknown or hidden)."""
    from django.http import Http404

    kinds = registry.history_kinds()
    if kind not in kinds:
        raise Http404
    path, _url, _label = kinds[kind]
    return import_string(path)(user, pk)


def detail_url(kind: str, obj) -> str:
    return reverse(registry.history_kinds()[kind][1], args=[obj.pk])


def _display(field_obj, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(field_obj, models.ManyToManyField):
        names = [related.get((field_obj.related_model, i), f"#{i}") for i in value]
        return "; ".join(sorted(str(n) for n in names)) or "—"
    if isinstance(field_obj, models.ForeignKey):
        return str(related.get((field_obj.related_model, value), f"#{value}"))
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(field_obj, models.BooleanField):
        return "✓" if value else "✗"  # language-neutral: "Không" already means "none" elsewhere
    if isinstance(field_obj, models.DateTimeField):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(field_obj, models.DateField):
        return formats.date_format(value, "d/m/Y")
    text = str(value)
    return text if len(text) <= 400 else text[:400] + "…"


def history_entries(obj) -> list[Entry]:
    """The object's change history, newest first (at most MAX_ENTRIES): one query for the
    records (and their users), one per many-to-many field, one per related model named."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: MAX_ENTRIES + 1]
    )
    m2m_fields = list(getattr(records[0], "_history_m2m_fields", [])) if records else []
    # The links of every record, one query per many-to-many field (diff_against would run
    # two per record and field).
    links: dict = {}
    for field_obj in m2m_fields:
        through = getattr(records[0], field_obj.name).model
        target = field_obj.m2m_reverse_field_name()
        for history_id, target_id in through.objects.filter(history__in=[r.pk for r in records]).values_list(
            "history_id", f"{target}_id"
        ):
            links.setdefault((field_obj.name, history_id), set()).add(target_id)
    skipped = SKIPPED_FIELDS | {f.name for f in m2m_fields}
    diffs = []
    for index, record in enumerate(records[:MAX_ENTRIES]):
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is None or record.history_type != "~":
            diffs.append((record, []))
            continue
        changes = list(record.diff_against(previous, excluded_fields=skipped).changes)
        for field_obj in m2m_fields:
            old = links.get((field_obj.name, previous.pk), set())
            new = links.get((field_obj.name, record.pk), set())
            if old != new:
                changes.append(_M2MChange(field_obj.name, sorted(old), sorted(new)))
        diffs.append((record, changes))
    # Names of every related object mentioned, one query per related model.
    wanted: dict = {}
    for _record, changes in diffs:
        for change in changes:
            field_obj = model._meta.get_field(change.field)
            if isinstance(field_obj, models.ManyToManyField):
                for value in (change.old, change.new):
                    wanted.setdefault(field_obj.related_model, set()).update(value)
            elif isinstance(field_obj, models.ForeignKey):
                for value in (change.old, change.new):
                    if value is not None:
                        wanted.setdefault(field_obj.related_model, set()).add(value)
    related = {}
    for related_model, ids in wanted.items():
        for item in related_model._base_manager.filter(pk__in=ids):
            related[(related_model, item.pk)] = item
    entries = []
    actions = {"+": "created", "~": "changed", "-": "deleted"}
    for record, changes in diffs:
        user = record.history_user
        entry = Entry(
            when=record.history_date,
            who=(user.get_full_name() or user.username) if user else _("Hệ thống"),
            action=actions.get(record.history_type, "changed"),
            reason=record.history_change_reason or "",
        )
        for change in changes:
            field_obj = model._meta.get_field(change.field)
            entry.changes.append(
                Change(
                    label=str(field_obj.verbose_name).capitalize(),
                    old=_display(field_obj, change.old, related),
                    new=_display(field_obj, change.new, related),
                )
            )
        if entry.action == "changed" and not entry.changes:
            continue  # a save that changed nothing visible
        entries.append(entry)
    return entries


def history_page(user, kind: str, pk) -> dict:
    """The history page of the object of ``kind`` (404 when unknown or hidden from ``user``)."""
    obj = get_object_for_history(user, kind, pk)
    return {
        "object": obj,
        "kind_label": registry.history_kinds()[kind][2],
        "back_url": detail_url(kind, obj),
        "entries": history_entries(obj),
    }
