"""What the circulation pages show, built without a request: a collection's page, a rotation's
page, the preview of an import, the check of a returned collection, and the texts the receipt
scanner needs. Views fetch, call one of these (or one service) and render."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _

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
