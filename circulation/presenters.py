"""What the circulation pages show, built without a request: a collection's page, a rotation's
page, the preview of an import, the check of a returned collection, and the texts the receipt
scanner needs. Views fetch, call one of these (or one service) and render."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core import lazy, paging

from . import access, selectors
from .forms import ReceiveCountForm
from .imports import FIELD_LABELS
from .models import ImportBatch

ITEMS_PER_PAGE = 100


def collection_page(user, collection, *, query: str, page_number) -> dict:
    """The collection's items (found by `query`, a page at a time), totals, its rotations the
    user sees, its routes, and for its managers the imports waiting for confirmation."""
    can_manage = access.can_manage_library(user, collection.owner_id)
    items = selectors.search_items(selectors.items_of(collection), query)
    rotations = list(selectors.rotations_for_user(user).filter(collection=collection)[:50])
    pending = collection.import_batches.filter(status=ImportBatch.Status.PENDING)[:5] if can_manage else []
    return {
        "collection": collection,
        "page": Paginator(items, ITEMS_PER_PAGE).get_page(page_number),
        "q": query,
        "totals": selectors.collection_totals(collection),
        "is_out": any(r.is_out for r in rotations),
        "rotations": rotations,
        "routes": collection.routes.all(),
        "can_manage": can_manage,
        "pending_imports": pending,
    }


def import_preview_page(batch) -> dict:
    """The rows read from an uploaded file, each with its problems, and the file's general ones."""
    problems_by_row: dict[int, list[dict]] = {}
    for problem in batch.problems:
        problems_by_row.setdefault(problem["row"], []).append(problem)
    return {
        "batch": batch,
        "rows": [{**row, "problems": problems_by_row.get(row["row"], [])} for row in batch.rows],
        "general_problems": problems_by_row.get(0, []),
        "labels": FIELD_LABELS,
        "copies": sum(r["copies"] for r in batch.rows),
        "encodings": ImportBatch._meta.get_field("encoding").choices,
    }


def rotation_page(user, rotation) -> dict:
    return {
        "rotation": rotation,
        "lines": selectors.rotation_lines(rotation),
        "events": selectors.rotation_history(rotation),
        "can_manage": access.can_manage_library(user, rotation.owner_id),
        "is_receiver": access.is_receiving_librarian(user, rotation),
        "count_form": ReceiveCountForm(),
        "today": timezone.localdate(),
    }


def check_lines(rotation) -> list:
    """The lines of a returned rotation, each proposing as back what the school received (or
    what was sent) and the rest as lost."""
    lines = list(selectors.rotation_lines(rotation))
    for line in lines:
        received = line.copies_received if line.copies_received is not None else line.copies_sent
        line.default_back, line.default_lost = received, line.copies_sent - received
    return lines


def scan_texts() -> dict:
    """What receipt_scan.js says, translated here (the script itself holds no text)."""
    return {
        "found": _("✓ %(title)s"),
        "again": _("“%(title)s” đã được quét rồi: chỉ tính một lần."),
        "unknown": _("Mã “%(code)s” không có trong danh mục gửi của đợt này: không đánh dấu sách nào."),
        "count": _("Đã quét %(n)s/%(total)s"),
        "ticked": _("đã quét"),
        "markUnscanned": _("Ghi 0 bản cho %(n)s tên sách chưa quét"),
        "markedUnscanned": _(
            "Các tên sách chưa quét được ghi 0 bản nhận. Kiểm tra lại rồi bấm “Xác nhận theo danh mục”."
        ),
        "cameraOn": _("Đưa mã vạch vào giữa khung hình."),
        "noCamera": _(
            "Không mở được camera (trình duyệt chưa cho phép hoặc trang không chạy qua HTTPS). "
            "Hãy dùng “Chụp ảnh mã vạch” hoặc nhập mã."
        ),
        "unreadable": _("Không đọc được mã vạch trong ảnh. Chụp lại gần hơn, đủ sáng, hoặc nhập mã."),
    }


def collection_list_page(user, *, query: str, archived: bool, page_number) -> dict:
    """The collections the user sees (active or archived), found by `query`, 30 a page, in the
    order of their libraries' codes as kept under the circulation version (core.paging)."""

    def collections():
        found = selectors.collections_with_counts(user).filter(is_active=not archived)
        return paging.OrderedIds(selectors.search_collections(found, query).order_by("owner__code", "code"))

    # Read when the page draws them: a list kept rendered does not.
    return {
        "page": paging.lazy_page(collections, 30, page_number),
        "q": query,
        "archived": archived,
        "can_create": SimpleLazyObject(lambda: selectors.managed_libraries(user).exists()),
    }


def discrepancy_page(user, form) -> dict:
    """The first 200 overdue rotations (with their days overdue), rotations received short
    (with the missing lines) and losses, for the filter in `form` (everything when it is
    not valid)."""
    library_id = district_id = None
    if form.is_bound and form.is_valid():
        library_id = form.cleaned_data["library"].pk if form.cleaned_data["library"] else None
        district_id = form.cleaned_data["district"].pk if form.cleaned_data["district"] else None
    today = timezone.localdate()

    def tables():
        data = selectors.discrepancies(user, library_id=library_id, district_id=district_id)
        overdue, missing, losses = (list(data[k][:200]) for k in ("overdue", "missing", "losses"))
        for rotation in overdue:
            rotation.days_overdue = (today - rotation.due_date).days
        lines = selectors.missing_lines([r.pk for r in missing])
        for rotation in missing:
            rotation.missing_list = lines.get(rotation.pk, [])
        return {"overdue": overdue, "missing": missing, "losses": losses}

    # Read when the page draws them: a page kept rendered does not.
    return {"form": form, "today": today, **lazy.parts(tables, "overdue", "missing", "losses")}


def statistics_page(user, form) -> dict:
    """The statistics for the filter in `form` (the whole time when it is not valid) and the
    chart series the page draws from them."""
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "district_id": data["district"].pk if data["district"] else None,
            "school_library_id": data["school_library"].pk if data["school_library"] else None,
            "start": data["start"],
            "end": data["end"],
        }
    # Read when drawn: the page kept rendered (the template's datacache) needs neither. The
    # chart is a callable, which the template calls, since json_script needs the dict itself.
    stats = SimpleLazyObject(lambda: selectors.statistics(user, **filters))
    return {"form": form, "stats": stats, "chart": lambda: statistics_chart(stats)}


def statistics_chart(stats: dict) -> dict:
    """The series of the two charts (per district, per month) and their labels."""
    return {
        "districts": {
            "labels": [row["school_library__district__name"] or "—" for row in stats["by_district"]],
            "copies": [row["copies"] or 0 for row in stats["by_district"]],
            "schools": [row["schools"] for row in stats["by_district"]],
            "lost": [(row["lost"] or 0) + (row["damaged"] or 0) for row in stats["by_district"]],
            "missing": [row["missing"] or 0 for row in stats["by_district"]],
        },
        "months": {
            "labels": [row["month"].strftime("%m/%Y") if row["month"] else "" for row in stats["by_month"]],
            "copies": [row["copies"] or 0 for row in stats["by_month"]],
            "collections": [row["collections"] for row in stats["by_month"]],
        },
        "labels": {
            "copies": _("Số bản gửi"),
            "schools": _("Số trường được phục vụ"),
            "lost": _("Số bản mất, hỏng"),
            "missing": _("Số bản thiếu khi nhận"),
            "collections": _("Số bộ sách"),
        },
    }
