"""Writes of the rotation app. Each refused transition raises ValidationError (or
PermissionDenied) with a Vietnamese message and changes nothing."""

import calendar
import logging
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from directory.models import Organisation, User

from . import access, selectors
from .imports import ENCODING_CHOICES, ImportFileError, check_rows, clean_isbn, parse_marc, parse_spreadsheet
from .models import ImportBatch, Item, RotatingCollection, Rotation, RotationEvent, RotationLine, Route, RouteStage

logger = logging.getLogger(__name__)

DEFAULT_ROTATION_MONTHS = 3  # framework rule of the provincial library
MAX_ROTATION_MONTHS = 6  # national limit for materials at one rotation point


# --- Dates -----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def school_year_end(day: date) -> date:
    """31 May of the school year `day` belongs to (a school year runs September to May; a
    summer day counts towards the coming year)."""
    return date(day.year + (1 if day.month >= 6 else 0), 5, 31)


def default_due_date(dispatch: date) -> date:
    return min(add_months(dispatch, DEFAULT_ROTATION_MONTHS), school_year_end(dispatch))


def validate_due_date(dispatch: date, due: date) -> None:
    if due <= dispatch:
        raise ValidationError({"due_date": _("Hạn trả phải sau ngày gửi.")})
    limit = add_months(dispatch, MAX_ROTATION_MONTHS)
    if due > limit:
        raise ValidationError(
            {
                "due_date": _(
                    "Hạn trả không được quá 6 tháng kể từ ngày gửi (muộn nhất %(d)s): sách, báo chỉ được lưu tại "
                    "một điểm luân chuyển tối đa 6 tháng."
                )
                % {"d": limit.strftime("%d/%m/%Y")}
            }
        )
    end = school_year_end(dispatch)
    if due > end:
        raise ValidationError(
            {"due_date": _("Hạn trả không được sau ngày kết thúc năm học (%(d)s).") % {"d": end.strftime("%d/%m/%Y")}}
        )


def _event(rotation: Rotation, kind: str, by: User | None, note: str = "", at=None) -> RotationEvent:
    event = RotationEvent(rotation=rotation, kind=kind, by=by, note=note, at=at or timezone.now())
    event.save()
    return event


def _require_manager(by: User, library_id: int) -> None:
    if not access.can_manage_library(by, library_id):
        raise PermissionDenied(_("Chỉ cán bộ của thư viện sở hữu bộ sách mới được thực hiện thao tác này."))


# --- Collections and items -------------------------------------------------------------------


@transaction.atomic
def collection_create(
    *,
    owner: Organisation,
    code: str,
    name: str,
    theme: str = "",
    target_level: str = "",
    description: str = "",
    by: User,
) -> RotatingCollection:
    """A new rotating collection of `owner`; refuses a code already used by the library."""
    _require_manager(by, owner.pk)
    collection = RotatingCollection(
        owner=owner,
        code=code.strip(),
        name=name.strip(),
        theme=theme,
        target_level=target_level,
        description=description,
        created_by=by,
    )
    collection.full_clean()
    collection.save()
    return collection


def _collection_is_out(collection: RotatingCollection) -> bool:
    return collection.rotations.filter(status__in=Rotation.OUT_STATUSES).exists()


def _lock_collection(collection: RotatingCollection) -> RotatingCollection:
    """Lock the collection row (dispatch locks it too, so an edit and a dispatch never race)."""
    return RotatingCollection.objects.select_for_update().get(pk=collection.pk)


def _refuse_if_out(collection: RotatingCollection) -> None:
    if _collection_is_out(collection):
        raise ValidationError(_("Bộ sách đang được luân chuyển: chỉ sửa danh mục sách khi bộ sách đã về thư viện."))


@transaction.atomic
def collection_update(
    *,
    collection: RotatingCollection,
    name: str,
    theme: str = "",
    target_level: str = "",
    description: str = "",
    by: User,
) -> RotatingCollection:
    """Change the name, theme, target level and description of a collection. Allowed while
    the collection is out: packing lists and handover records keep their own snapshot."""
    _require_manager(by, collection.owner_id)
    collection = _lock_collection(collection)
    collection.name = (name or "").strip()
    collection.theme = (theme or "").strip()
    collection.target_level = target_level or ""
    collection.description = (description or "").strip()
    collection.full_clean()
    collection.save(update_fields=["name", "theme", "target_level", "description"])
    return collection


@transaction.atomic
def collection_archive(*, collection: RotatingCollection, by: User) -> RotatingCollection:
    """Retire a collection: no new rotation can be planned for it and its active routes stop.
    Refused while it is out on rotation or has a planned rotation not yet sent."""
    _require_manager(by, collection.owner_id)
    collection = _lock_collection(collection)
    if not collection.is_active:
        raise ValidationError(_("Bộ sách đã ngừng sử dụng từ trước."))
    if _collection_is_out(collection):
        raise ValidationError(
            _("Bộ sách đang được luân chuyển: chỉ ngừng sử dụng khi bộ sách đã về thư viện và được kiểm nhận.")
        )
    if collection.rotations.filter(status=Rotation.Status.PLANNED).exists():
        raise ValidationError(
            _("Bộ sách còn đợt luân chuyển đã lên kế hoạch: hãy hủy đợt đó trước khi ngừng sử dụng bộ sách.")
        )
    collection.is_active = False
    collection.full_clean()
    collection.save(update_fields=["is_active"])
    for route in collection.routes.filter(is_active=True):
        route.is_active = False
        route.save(update_fields=["is_active"])
    return collection


@transaction.atomic
def collection_restore(*, collection: RotatingCollection, by: User) -> RotatingCollection:
    """Put a retired collection back into use."""
    _require_manager(by, collection.owner_id)
    collection = _lock_collection(collection)
    if collection.is_active:
        raise ValidationError(_("Bộ sách đang được sử dụng."))
    collection.is_active = True
    collection.save(update_fields=["is_active"])
    return collection


def _clean_item_fields(item: Item, *, isbn: str, year, copies) -> None:
    """ISBN, year and copies checked with the same rules and messages as the import."""
    errors: dict[str, list] = {}
    value, message = clean_isbn(isbn)
    if message:
        errors["isbn"] = [message]
    item.isbn = value
    if year in ("", None):
        item.year = None
    elif not isinstance(year, int) or not 1800 <= year <= timezone.localdate().year + 1:
        errors["year"] = [_("Năm xuất bản %(v)s không hợp lý.") % {"v": year}]
    else:
        item.year = year
    if not isinstance(copies, int) or not 1 <= copies <= 999:
        errors["copies"] = [_("Số bản phải từ 1 đến 999.")]
    else:
        item.copies = copies
    if errors:
        raise ValidationError(errors)


def _check_barcode(item: Item) -> None:
    if not item.barcode:
        return
    other = (
        Item.objects.filter(library_id=item.library_id, barcode=item.barcode)
        .exclude(pk=item.pk)
        .select_related("collection")
        .first()
    )
    if other is not None:
        where = other.collection.name if other.collection_id else _("kho của thư viện, không thuộc bộ sách nào")
        raise ValidationError(
            {
                "barcode": _("Mã vạch %(c)s đã có trong thư viện: “%(t)s” (%(w)s).")
                % {"c": item.barcode, "t": other.title, "w": where}
            }
        )


def _save_item(item: Item, fields: list[str] | None = None) -> None:
    _check_barcode(item)
    item.full_clean()
    try:
        with transaction.atomic():
            item.save(update_fields=fields) if fields else item.save()
    except IntegrityError as exc:  # a concurrent request took the barcode
        raise ValidationError({"barcode": _("Mã vạch %(c)s đã có trong thư viện.") % {"c": item.barcode}}) from exc


ITEM_TEXT_FIELDS = ("title", "authors", "publisher", "call_number", "barcode")


@transaction.atomic
def item_create(
    *,
    collection: RotatingCollection,
    title: str,
    authors: str = "",
    publisher: str = "",
    year: int | None = None,
    isbn: str = "",
    call_number: str = "",
    barcode: str = "",
    copies: int = 1,
    condition: str = Item.Condition.GOOD,
    by: User,
) -> Item:
    """Add one title to a collection of the user's library. Refused while the collection is
    out on rotation, for an invalid ISBN (an EAN that is not an ISBN included) and for a
    barcode already used in the library."""
    _require_manager(by, collection.owner_id)
    collection = _lock_collection(collection)
    _refuse_if_out(collection)
    item = Item(library_id=collection.owner_id, collection=collection, condition=condition)
    texts = {"title": title, "authors": authors, "publisher": publisher, "call_number": call_number, "barcode": barcode}
    for field, value in texts.items():
        setattr(item, field, " ".join((value or "").split()))
    _clean_item_fields(item, isbn=isbn, year=year, copies=copies)
    _save_item(item)
    return item


@transaction.atomic
def item_update(
    *,
    item: Item,
    title: str,
    authors: str = "",
    publisher: str = "",
    year: int | None = None,
    isbn: str = "",
    call_number: str = "",
    barcode: str = "",
    copies: int = 1,
    condition: str = Item.Condition.GOOD,
    by: User,
) -> Item:
    """Correct an item's record. Refused while its collection is out on rotation (the copies
    are at a school; the closing check updates copies and condition)."""
    _require_manager(by, item.library_id)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.collection_id:
        _refuse_if_out(_lock_collection(item.collection))
    texts = {"title": title, "authors": authors, "publisher": publisher, "call_number": call_number, "barcode": barcode}
    for field, value in texts.items():
        setattr(item, field, " ".join((value or "").split()))
    item.condition = condition
    _clean_item_fields(item, isbn=isbn, year=year, copies=copies)
    _save_item(item, [*ITEM_TEXT_FIELDS, "isbn", "year", "copies", "condition"])
    return item


@transaction.atomic
def item_remove(*, item: Item, by: User) -> Item:
    """Take an item out of its collection; it stays in the library's stock (its rotation
    history keeps pointing at it). Refused while the collection is out on rotation."""
    _require_manager(by, item.library_id)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if not item.collection_id:
        raise ValidationError(_("Sách này không thuộc bộ sách nào."))
    collection = _lock_collection(item.collection)
    if _collection_is_out(collection):
        raise ValidationError(_("Bộ sách đang được luân chuyển: chỉ gỡ sách khỏi bộ sách khi bộ sách đã về thư viện."))
    item.collection = None
    item.save(update_fields=["collection"])
    return item


def import_preview(
    *, collection: RotatingCollection, uploaded, filename: str, by: User, encoding: str = "auto"
) -> ImportBatch:
    """Parse an upload into a pending ImportBatch (rows + problems). Writes no item.

    Raises ValidationError when the file as a whole cannot be read."""
    _require_manager(by, collection.owner_id)
    name = filename.lower()
    data = None
    try:
        if name.endswith((".xlsx", ".csv")):
            parsed, source = parse_spreadsheet(uploaded, filename=filename), ImportBatch.Source.SPREADSHEET
        elif name.endswith((".mrc", ".dat", ".marc", ".iso", ".xml")):
            data = uploaded.read() if hasattr(uploaded, "read") else bytes(uploaded)
            parsed = parse_marc(data, filename=filename, encoding=encoding)
            source = ImportBatch.Source.MARCXML if name.endswith(".xml") else ImportBatch.Source.MARC
        else:
            raise ImportFileError(_("Chỉ nhận tệp .xlsx, .csv (theo mẫu) hoặc MARC21 (.mrc, .dat, .iso, .xml)."))
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from exc
    check_rows(parsed, library_id=collection.owner_id)
    if _collection_is_out(collection):
        parsed.problem(0, "", _("Bộ sách đang được luân chuyển: chỉ bổ sung sách khi bộ sách đã về thư viện."))
    batch = ImportBatch(
        collection=collection,
        source=source,
        filename=filename[:255],
        rows=parsed.rows,
        problems=sorted(parsed.problems, key=lambda p: p["row"]),
        created_by=by,
        source_data=data if source == ImportBatch.Source.MARC else None,
        encoding=encoding,
    )
    batch.full_clean()
    batch.save()
    return batch


@transaction.atomic
def import_reread(*, batch: ImportBatch, encoding: str, by: User) -> ImportBatch:
    """Read a pending ISO 2709 batch again in the encoding the librarian chose in the preview
    (TCVN3, VNI, as declared, or automatic). Raises ValidationError for another batch."""
    batch = ImportBatch.objects.select_for_update().select_related("collection").get(pk=batch.pk)
    _require_manager(by, batch.collection.owner_id)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(_("Lần nhập này đã được xử lý trước đó."))
    if batch.source != ImportBatch.Source.MARC or not batch.source_data:
        raise ValidationError(_("Chỉ đọc lại được tệp MARC21 (ISO 2709) theo bảng mã khác."))
    if encoding not in ENCODING_CHOICES:
        raise ValidationError(_("Bảng mã không hợp lệ."))
    try:
        parsed = parse_marc(bytes(batch.source_data), filename=batch.filename, encoding=encoding)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from exc
    check_rows(parsed, library_id=batch.collection.owner_id)
    if _collection_is_out(batch.collection):
        parsed.problem(0, "", _("Bộ sách đang được luân chuyển: chỉ bổ sung sách khi bộ sách đã về thư viện."))
    batch.rows = parsed.rows
    batch.problems = sorted(parsed.problems, key=lambda p: p["row"])
    batch.encoding = encoding
    batch.save(update_fields=["rows", "problems", "encoding"])
    return batch


@transaction.atomic
def import_confirm(*, batch: ImportBatch, by: User) -> int:
    """Write every row of a pending batch without problems, in one transaction. Returns the
    number of items created. Refuses a batch with problems, or one already confirmed."""
    batch = ImportBatch.objects.select_for_update().select_related("collection").get(pk=batch.pk)
    collection = batch.collection
    _require_manager(by, collection.owner_id)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(_("Lần nhập này đã được xử lý trước đó."))
    if batch.problems:
        raise ValidationError(_("Tệp còn lỗi nên không nhập dòng nào. Hãy sửa tệp rồi tải lên lại."))
    RotatingCollection.objects.select_for_update().filter(pk=collection.pk).first()
    if _collection_is_out(collection):
        raise ValidationError(_("Bộ sách đang được luân chuyển: chỉ bổ sung sách khi bộ sách đã về thư viện."))
    items = []
    for row in batch.rows:
        item = Item(
            library_id=collection.owner_id,
            collection=collection,
            **{
                key: row[key]
                for key in (
                    "title",
                    "authors",
                    "publisher",
                    "year",
                    "isbn",
                    "call_number",
                    "barcode",
                    "copies",
                    "condition",
                )
            },
        )
        item.full_clean(validate_unique=False, validate_constraints=False)
        items.append(item)
    try:
        with transaction.atomic():
            # In bulk, with a history row for each item recorded as the importer's.
            bulk_create_with_history(items, Item, batch_size=1000, default_user=by)
    except IntegrityError as exc:
        raise ValidationError(_("Một mã vạch trong tệp vừa được dùng cho sách khác của thư viện.")) from exc
    batch.status = ImportBatch.Status.CONFIRMED
    batch.confirmed_at = timezone.now()
    batch.save(update_fields=["status", "confirmed_at"])
    return len(items)


@transaction.atomic
def import_discard(*, batch: ImportBatch, by: User) -> None:
    _require_manager(by, batch.collection.owner_id)
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PENDING).update(
        status=ImportBatch.Status.DISCARDED
    )
    if not updated:
        raise ValidationError(_("Lần nhập này đã được xử lý trước đó."))


# --- Rotations -------------------------------------------------------------------------------

_OUT_OF_DISTRICT = gettext_lazy(
    "Thư viện huyện chỉ luân chuyển sách tới thư viện trường học trong huyện mình; "
    "Thư viện tỉnh luân chuyển tới mọi trường trong tỉnh."
)


@transaction.atomic
def rotation_plan(
    *,
    collection: RotatingCollection,
    school_library: Organisation,
    planned_dispatch_date: date,
    due_date: date | None = None,
    note: str = "",
    by: User | None,
    proposed: bool = False,
) -> Rotation:
    """Plan sending `collection` to `school_library`. The due date defaults to 3 months after
    dispatch, and may be neither more than 6 months later nor after 31 May of the school year."""
    if by is not None:
        _require_manager(by, collection.owner_id)
    if school_library.kind != Organisation.Kind.SCHOOL_LIBRARY:
        raise ValidationError({"school_library": _("Nơi nhận phải là thư viện trường học.")})
    if not access.may_receive_from(collection.owner, school_library):
        raise ValidationError({"school_library": _OUT_OF_DISTRICT})
    if not collection.is_active:
        raise ValidationError(_("Bộ sách đã ngừng sử dụng."))
    due_date = due_date or default_due_date(planned_dispatch_date)
    validate_due_date(planned_dispatch_date, due_date)
    rotation = Rotation(
        collection=collection,
        owner_id=collection.owner_id,
        school_library=school_library,
        planned_dispatch_date=planned_dispatch_date,
        due_date=due_date,
        note=note,
        created_by=by,
    )
    rotation.full_clean()
    rotation.save()
    kind = RotationEvent.Kind.PROPOSED if proposed else RotationEvent.Kind.PLANNED
    _event(
        rotation,
        kind,
        by,
        _("Gửi tới %(lib)s, dự kiến %(d)s, hạn trả %(due)s.")
        % {
            "lib": school_library,
            "d": planned_dispatch_date.strftime("%d/%m/%Y"),
            "due": due_date.strftime("%d/%m/%Y"),
        },
    )
    return rotation


def _lock(rotation: Rotation) -> Rotation:
    return Rotation.objects.select_for_update().select_related("collection", "school_library").get(pk=rotation.pk)


@transaction.atomic
def rotation_dispatch(*, rotation: Rotation, by: User) -> Rotation:
    """Send a planned rotation: the packing list is taken from the collection's items.

    Refused when the rotation is not planned (already dispatched), when the collection is out
    at another school (the collection row is locked first, and a partial unique index backs
    it up), or when the collection has no items."""
    _require_manager(by, rotation.owner_id)
    RotatingCollection.objects.select_for_update().get(pk=rotation.collection_id)
    rotation = _lock(rotation)
    if rotation.status != Rotation.Status.PLANNED:
        raise ValidationError(
            _("Đợt luân chuyển đang ở trạng thái “%(s)s”, không thể gửi đi nữa.") % {"s": rotation.get_status_display()}
        )
    elsewhere = (
        Rotation.objects.filter(collection_id=rotation.collection_id, status__in=Rotation.OUT_STATUSES)
        .select_related("school_library")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            _("Bộ sách đang ở %(lib)s (chưa kiểm nhận trả về): một bộ sách không thể ở hai nơi cùng lúc.")
            % {"lib": elsewhere.school_library}
        )
    items = list(
        rotation.collection.items.exclude(condition=Item.Condition.LOST).order_by("call_number", "title", "pk")
    )
    if not items:
        raise ValidationError(_("Bộ sách chưa có cuốn sách nào để gửi."))
    bulk_create_with_history(
        [
            RotationLine(
                rotation=rotation,
                item=item,
                position=index,
                title=item.title,
                barcode=item.barcode,
                call_number=item.call_number,
                copies_sent=item.copies,
            )
            for index, item in enumerate(items, start=1)
        ],
        RotationLine,
        default_user=by,
    )
    rotation.status = Rotation.Status.DISPATCHED
    rotation.dispatched_at = timezone.now()
    rotation.dispatched_by = by
    rotation.titles_sent = len(items)
    rotation.copies_sent = sum(item.copies for item in items)
    try:
        with transaction.atomic():
            rotation.save(update_fields=["status", "dispatched_at", "dispatched_by", "titles_sent", "copies_sent"])
    except IntegrityError as exc:
        raise ValidationError(_("Bộ sách đang ở một trường khác: một bộ sách không thể ở hai nơi cùng lúc.")) from exc
    _event(
        rotation,
        RotationEvent.Kind.DISPATCHED,
        by,
        _("%(t)s tên sách, %(c)s bản.") % {"t": rotation.titles_sent, "c": rotation.copies_sent},
    )
    return rotation


@transaction.atomic
def rotation_receive(
    *, rotation: Rotation, by: User, received: dict[int, int] | None = None, total: int | None = None, note: str = ""
) -> Rotation:
    """The school library confirms receipt, per item (`received`: line id → copies received;
    a line left out counts as fully received) or by count (`total` must equal the copies
    sent; otherwise the missing items have to be marked one by one)."""
    rotation = _lock(rotation)
    if not access.is_receiving_librarian(by, rotation):
        raise PermissionDenied(_("Chỉ thư viện trường nhận sách mới xác nhận được việc nhận."))
    if rotation.status != Rotation.Status.DISPATCHED:
        raise ValidationError(_("Đợt luân chuyển này không chờ xác nhận nhận sách."))
    lines = list(rotation.lines.order_by("position"))
    if total is not None:
        if total != rotation.copies_sent:
            raise ValidationError(
                _(
                    "Số bản nhận (%(n)s) khác số bản gửi (%(s)s): hãy xác nhận theo từng tên sách để ghi rõ "
                    "sách nào bị thiếu."
                )
                % {"n": total, "s": rotation.copies_sent}
            )
        counts = {line.pk: line.copies_sent for line in lines}
        mode = Rotation.ReceiptMode.COUNT
    else:
        received = received or {}
        unknown = set(received) - {line.pk for line in lines}
        if unknown:
            raise ValidationError(_("Danh mục nhận có dòng không thuộc đợt luân chuyển này."))
        counts = {}
        for line in lines:
            value = received.get(line.pk, line.copies_sent)
            if value is None or not 0 <= value <= line.copies_sent:
                raise ValidationError(
                    _("“%(t)s”: số bản nhận phải từ 0 đến %(n)s.") % {"t": line.title, "n": line.copies_sent}
                )
            counts[line.pk] = value
        mode = Rotation.ReceiptMode.ITEM
    missing_titles = []
    for line in lines:
        line.copies_received = counts[line.pk]
        line.save(update_fields=["copies_received"])
        if line.copies_missing:
            missing_titles.append(f"{line.title} ({line.copies_missing})")
    rotation.status = Rotation.Status.RECEIVED
    rotation.received_at = timezone.now()
    rotation.received_by = by
    rotation.receipt_mode = mode
    rotation.copies_received = sum(counts.values())
    rotation.copies_missing = rotation.copies_sent - rotation.copies_received
    rotation.save(
        update_fields=["status", "received_at", "received_by", "receipt_mode", "copies_received", "copies_missing"]
    )
    text = _("Nhận %(r)s/%(s)s bản.") % {"r": rotation.copies_received, "s": rotation.copies_sent}
    if missing_titles:
        text += " " + _("Thiếu: %(list)s.") % {"list": "; ".join(missing_titles)}
    if note:
        text += " " + note
    _event(rotation, RotationEvent.Kind.RECEIVED, by, text)
    if missing_titles:
        _tell(
            selectors.library_staff(rotation.owner),
            title=_("Thiếu sách khi nhận: %(c)s") % {"c": rotation.collection.name},
            body=_("%(lib)s báo thiếu %(n)s bản: %(list)s.")
            % {"lib": rotation.school_library, "n": rotation.copies_missing, "list": "; ".join(missing_titles)},
            url=_rotation_url(rotation),
        )
    return rotation


@transaction.atomic
def rotation_return(*, rotation: Rotation, by: User, note: str = "") -> Rotation:
    """The school library sends the collection back (the owner then checks it)."""
    rotation = _lock(rotation)
    if not access.can_return_rotation(by, rotation):
        raise PermissionDenied(_("Bạn không được ghi nhận việc trả sách của đợt này."))
    if rotation.status != Rotation.Status.RECEIVED:
        raise ValidationError(_("Chỉ gửi trả được bộ sách trường đã nhận."))
    rotation.status = Rotation.Status.RETURNED
    rotation.returned_at = timezone.now()
    rotation.returned_by = by
    rotation.save(update_fields=["status", "returned_at", "returned_by"])
    _event(rotation, RotationEvent.Kind.RETURNED, by, note)
    return rotation


@transaction.atomic
def rotation_check(
    *, rotation: Rotation, by: User, results: dict[int, tuple[int, int, int]] | None = None, note: str = ""
) -> Rotation:
    """The owner checks the returned collection per item: (back, lost, damaged) copies for
    each line id, adding up to the copies sent (a line left out: received copies back, the
    copies missing at receipt lost). Closes the rotation. Lost copies leave the item's stock;
    an item with every copy lost leaves the collection."""
    _require_manager(by, rotation.owner_id)
    rotation = _lock(rotation)
    if rotation.status == Rotation.Status.RECEIVED:
        # The owner may take the collection back in person: the return is recorded with the check.
        rotation.status = Rotation.Status.RETURNED
        rotation.returned_at = timezone.now()
        rotation.returned_by = by
        rotation.save(update_fields=["status", "returned_at", "returned_by"])
        _event(rotation, RotationEvent.Kind.RETURNED, by, _("Thư viện nhận lại trực tiếp."))
    if rotation.status != Rotation.Status.RETURNED:
        raise ValidationError(_("Chỉ kiểm nhận được bộ sách đã trả về."))
    results = results or {}
    lines = list(rotation.lines.select_related("item").order_by("position"))
    unknown = set(results) - {line.pk for line in lines}
    if unknown:
        raise ValidationError(_("Kết quả kiểm nhận có dòng không thuộc đợt luân chuyển này."))
    back_total = lost_total = damaged_total = 0
    notes = []
    for line in lines:
        received = line.copies_received if line.copies_received is not None else line.copies_sent
        back, lost, damaged = results.get(line.pk, (received, line.copies_sent - received, 0))
        if min(back, lost, damaged) < 0 or back + lost + damaged != line.copies_sent:
            raise ValidationError(
                _("“%(t)s”: số bản trả về, mất và hư hỏng phải cộng lại bằng %(n)s bản đã gửi.")
                % {"t": line.title, "n": line.copies_sent}
            )
        line.copies_back, line.copies_lost, line.copies_damaged = back, lost, damaged
        line.save(update_fields=["copies_back", "copies_lost", "copies_damaged"])
        back_total, lost_total, damaged_total = back_total + back, lost_total + lost, damaged_total + damaged
        item = line.item
        if lost:
            notes.append(_("mất %(n)s bản “%(t)s”") % {"n": lost, "t": line.title})
            if lost >= item.copies:
                item.condition = Item.Condition.LOST
                item.collection = None
            else:
                item.copies -= lost
            item.save(update_fields=["condition", "collection", "copies"])
        if damaged:
            notes.append(_("hỏng %(n)s bản “%(t)s”") % {"n": damaged, "t": line.title})
            if damaged >= item.copies and item.condition != Item.Condition.LOST:
                item.condition = Item.Condition.DAMAGED
                item.save(update_fields=["condition"])
    rotation.status = Rotation.Status.CLOSED
    rotation.checked_at = timezone.now()
    rotation.checked_by = by
    rotation.copies_back, rotation.copies_lost, rotation.copies_damaged = back_total, lost_total, damaged_total
    rotation.save(update_fields=["status", "checked_at", "checked_by", "copies_back", "copies_lost", "copies_damaged"])
    text = _("Trả về %(b)s/%(s)s bản.") % {"b": back_total, "s": rotation.copies_sent}
    if notes:
        joined = "; ".join(notes)
        text += " " + joined[:1].upper() + joined[1:] + "."
    if note:
        text += " " + note
    _event(rotation, RotationEvent.Kind.CHECKED, by, text)
    return rotation


@transaction.atomic
def rotation_cancel(*, rotation: Rotation, by: User, note: str = "") -> Rotation:
    _require_manager(by, rotation.owner_id)
    rotation = _lock(rotation)
    if rotation.status != Rotation.Status.PLANNED:
        raise ValidationError(_("Chỉ hủy được đợt luân chuyển chưa gửi đi."))
    rotation.status = Rotation.Status.CANCELLED
    rotation.save(update_fields=["status"])
    _event(rotation, RotationEvent.Kind.CANCELLED, by, note)
    return rotation


# --- Routes ----------------------------------------------------------------------------------


@transaction.atomic
def route_create(
    *,
    collection: RotatingCollection,
    name: str,
    school_year: str,
    start_date: date,
    stages: list[tuple[Organisation, int]],
    by: User,
) -> Route:
    """A route through `stages` (school library, duration in days) in order. Every stage must
    fit the rotation rule (at most 6 months, before 31 May of the school year)."""
    _require_manager(by, collection.owner_id)
    if len(stages) < 1:
        raise ValidationError(_("Lộ trình cần ít nhất một trường."))
    day = start_date
    for library, days in stages:
        if library.kind != Organisation.Kind.SCHOOL_LIBRARY:
            raise ValidationError(_("Mỗi chặng phải là một thư viện trường học."))
        if not access.may_receive_from(collection.owner, library):
            raise ValidationError(_("Chặng tới %(lib)s: %(e)s") % {"lib": library, "e": _OUT_OF_DISTRICT})
        try:
            validate_due_date(day, day + timedelta(days=days))
        except ValidationError as exc:
            raise ValidationError(
                _("Chặng tới %(lib)s: %(e)s") % {"lib": library, "e": " ".join(exc.messages)}
            ) from exc
        day = day + timedelta(days=days)
    route = Route(collection=collection, name=name, school_year=school_year, start_date=start_date, created_by=by)
    route.full_clean()
    route.save()
    for position, (library, days) in enumerate(stages, start=1):
        stage = RouteStage(route=route, position=position, school_library=library, duration_days=days)
        stage.full_clean()
        stage.save()
    return route


def route_schedule(route: Route) -> list[tuple[RouteStage, date, date]]:
    """Each stage with its planned start and end dates."""
    rows, day = [], route.start_date
    for stage in route.stages.select_related("school_library", "rotation").order_by("position"):
        end = day + timedelta(days=stage.duration_days)
        rows.append((stage, day, end))
        day = end
    return rows


def route_propose_moves(*, today: date | None = None) -> int:
    """For every active route, propose the next move when its time has come: the first stage
    on the start date, each following stage when the previous stage ends. The proposal is a
    planned rotation; both libraries are told. Safe to run twice: each stage is claimed with a
    conditional UPDATE before anything is created. Returns the number of moves proposed."""
    today = today or timezone.localdate()
    proposed = 0
    routes = Route.objects.filter(is_active=True, start_date__lte=today).select_related("collection")
    for route in routes:
        previous = None
        for stage, start, end in route_schedule(route):
            if stage.proposed_at is None:
                if start <= today and _propose_stage(route, stage, start, end, previous):
                    proposed += 1
                break
            previous = stage
    return proposed


def _propose_stage(route: Route, stage: RouteStage, start: date, end: date, previous: RouteStage | None) -> bool:
    with transaction.atomic():
        claimed = RouteStage.objects.filter(pk=stage.pk, proposed_at__isnull=True).update(proposed_at=timezone.now())
        if not claimed:
            return False
        dispatch = max(start, timezone.localdate())
        due = min(end, add_months(dispatch, MAX_ROTATION_MONTHS), school_year_end(dispatch))
        if due <= dispatch:
            due = dispatch + timedelta(days=1)
        try:
            rotation = rotation_plan(
                collection=route.collection,
                school_library=stage.school_library,
                planned_dispatch_date=dispatch,
                due_date=due,
                note=_("Theo lộ trình “%(r)s”, chặng %(n)s.") % {"r": route.name, "n": stage.position},
                by=None,
                proposed=True,
            )
        except ValidationError:
            logger.warning("Route %s stage %s cannot be proposed", route.pk, stage.pk, exc_info=True)
            return True
        # A save, not an UPDATE, so the stage's history shows when it was proposed and which
        # rotation it became (the claim above stays a conditional UPDATE).
        stage.refresh_from_db()
        stage.rotation = rotation
        stage.save(update_fields=["rotation"])
    recipients = list(selectors.library_staff(route.collection.owner)) + list(
        selectors.school_librarians(stage.school_library)
    )
    holder = previous.rotation if previous is not None and previous.rotation_id else None
    if holder is not None:
        recipients += list(selectors.school_librarians(holder.school_library))
    _tell(
        recipients,
        title=_("Đề xuất chuyển bộ sách “%(c)s”") % {"c": route.collection.name},
        body=_("Theo lộ trình “%(r)s”, bộ sách chuyển tới %(lib)s từ ngày %(d)s (hạn trả %(due)s).")
        % {
            "r": route.name,
            "lib": stage.school_library,
            "d": dispatch.strftime("%d/%m/%Y"),
            "due": due.strftime("%d/%m/%Y"),
        },
        url=_rotation_url(rotation),
    )
    return True


# --- Telling people --------------------------------------------------------------------------


def _rotation_url(rotation: Rotation) -> str:
    from django.urls import reverse

    return reverse("circulation:rotation-detail", args=[rotation.pk])


def _tell(users, *, title: str, body: str, url: str) -> None:
    """Through the notifications app when it is installed, else by e-mail; after commit."""
    users = {u.pk: u for u in users if u.is_active}.values()

    def send():
        from core.registry import providers

        # The in-app `notify` service an app declares (core.registry: notifications), if any.
        notify = next((notify for _app, notify in providers("notify")), None)
        for user in users:
            try:
                if notify is not None:
                    notify(user=user, title=title, body=body, url=url)
                elif user.email:
                    from django.conf import settings
                    from django.core.mail import send_mail

                    send_mail(title, f"{body}\n\n{settings.SITE_URL}{url}", None, [user.email])
            except Exception:  # one failed message never undoes the step
                logger.exception("Could not tell user %s", user.pk)

    transaction.on_commit(send)
