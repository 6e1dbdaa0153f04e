from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, documents, selectors, services
from .forms import (
    CollectionEditForm,
    CollectionForm,
    DiscrepancyFilterForm,
    ImportForm,
    ItemForm,
    ReceiveCountForm,
    RotationPlanForm,
    RouteForm,
    StatisticsFilterForm,
)
from .imports import FIELD_LABELS, template_workbook
from .models import ImportBatch, Rotation

ITEMS_PER_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Collections -----------------------------------------------------------------------------


def _query(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:100]


@login_required
@require_GET
def collection_list(request):
    query = _query(request)
    archived = request.GET.get("archived") == "1"
    collections = selectors.collections_with_counts(request.user).filter(is_active=not archived)
    collections = selectors.search_collections(collections, query).order_by("owner__code", "code")
    page = Paginator(collections, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "circulation/collection_list.html",
        {
            "page": page,
            "q": query,
            "archived": archived,
            "can_create": selectors.managed_libraries(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def collection_create(request):
    libraries = selectors.managed_libraries(request.user)
    if not libraries.exists():
        raise PermissionDenied
    form = CollectionForm(request.POST or None, libraries=libraries)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo bộ sách “%(n)s”.") % {"n": collection.name})
            return redirect("circulation:collection-detail", collection.pk)
    return render(request, "circulation/collection_form.html", {"form": form})


@login_required
@require_GET
def collection_detail(request, pk: int):
    collection = selectors.get_collection_for_user(request.user, pk)
    can_manage = access.can_manage_library(request.user, collection.owner_id)
    query = _query(request)
    items = selectors.search_items(selectors.items_of(collection), query)
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    rotations = list(selectors.rotations_for_user(request.user).filter(collection=collection)[:50])
    return render(
        request,
        "circulation/collection_detail.html",
        {
            "collection": collection,
            "page": page,
            "q": query,
            "totals": selectors.collection_totals(collection),
            "is_out": any(r.is_out for r in rotations),
            "rotations": rotations,
            "routes": collection.routes.all(),
            "can_manage": can_manage,
            "pending_imports": collection.import_batches.filter(status=ImportBatch.Status.PENDING)[:5]
            if can_manage
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def collection_edit(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    form = CollectionEditForm(request.POST or None, instance=collection)
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_update(collection=collection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin bộ sách."))
            return redirect("circulation:collection-detail", collection.pk)
    return render(request, "circulation/collection_edit.html", {"collection": collection, "form": form})


@login_required
@require_POST
def collection_archive(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    try:
        services.collection_archive(collection=collection, by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã ngừng sử dụng bộ sách “%(n)s”.") % {"n": collection.name})
    return redirect("circulation:collection-detail", collection.pk)


@login_required
@require_POST
def collection_restore(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    try:
        services.collection_restore(collection=collection, by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Bộ sách “%(n)s” được sử dụng trở lại.") % {"n": collection.name})
    return redirect("circulation:collection-detail", collection.pk)


# --- Items -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(collection=collection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm “%(t)s” vào bộ sách.") % {"t": item.title})
            if "another" in request.POST:
                return redirect("circulation:item-create", collection.pk)
            return redirect("circulation:collection-detail", collection.pk)
    return render(
        request,
        "circulation/item_form.html",
        {"collection": collection, "form": form, "is_out": selectors.collection_is_out(collection)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    item = selectors.get_item_for_manager(request.user, pk)
    form = ItemForm.for_item(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu “%(t)s”.") % {"t": form.cleaned_data["title"]})
            if item.collection_id:
                return redirect("circulation:collection-detail", item.collection_id)
            return redirect("circulation:item-edit", item.pk)
    return render(
        request,
        "circulation/item_form.html",
        {
            "collection": item.collection,
            "item": item,
            "form": form,
            "is_out": bool(item.collection_id) and selectors.collection_is_out(item.collection),
        },
    )


@login_required
@require_POST
def item_remove(request, pk: int):
    item = selectors.get_item_for_manager(request.user, pk)
    collection_id = item.collection_id
    try:
        services.item_remove(item=item, by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("circulation:item-edit", item.pk)
    messages.success(request, _("Đã gỡ “%(t)s” khỏi bộ sách; sách vẫn còn trong kho của thư viện.") % {"t": item.title})
    return redirect("circulation:collection-detail", collection_id)


# --- Imports ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            batch = services.import_preview(
                collection=collection, uploaded=uploaded, filename=uploaded.name, by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", _errors(exc))
        else:
            return redirect("circulation:import-preview", batch.pk)
    return render(request, "circulation/import_upload.html", {"collection": collection, "form": form})


@login_required
@require_POST
def import_reread(request, pk: int):
    batch = selectors.get_import_for_manager(request.user, pk)
    try:
        batch = services.import_reread(batch=batch, encoding=request.POST.get("encoding", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã đọc lại tệp theo bảng mã %(e)s.") % {"e": batch.get_encoding_display()})
    return redirect("circulation:import-preview", batch.pk)


@login_required
@require_GET
def import_preview(request, pk: int):
    batch = selectors.get_import_for_manager(request.user, pk)
    problems_by_row: dict[int, list[dict]] = {}
    for problem in batch.problems:
        problems_by_row.setdefault(problem["row"], []).append(problem)
    rows = [{**row, "problems": problems_by_row.get(row["row"], [])} for row in batch.rows]
    return render(
        request,
        "circulation/import_preview.html",
        {
            "batch": batch,
            "rows": rows,
            "general_problems": problems_by_row.get(0, []),
            "labels": FIELD_LABELS,
            "copies": sum(r["copies"] for r in batch.rows),
            "encodings": ImportBatch._meta.get_field("encoding").choices,
        },
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    batch = selectors.get_import_for_manager(request.user, pk)
    try:
        count = services.import_confirm(batch=batch, by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("circulation:import-preview", batch.pk)
    messages.success(request, _("Đã nhập %(n)s tên sách vào bộ sách.") % {"n": count})
    return redirect("circulation:collection-detail", batch.collection_id)


@login_required
@require_POST
def import_discard(request, pk: int):
    batch = selectors.get_import_for_manager(request.user, pk)
    try:
        services.import_discard(batch=batch, by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.info(request, _("Đã hủy lần nhập, không có sách nào được ghi."))
    return redirect("circulation:collection-detail", batch.collection_id)


@login_required
@require_GET
def import_template(request):
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-muc-sach-luan-chuyen.xlsx"'
    return response


# --- Rotations -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rotation_create(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    form = RotationPlanForm(request.POST or None, owner=collection.owner)
    if request.method == "POST" and form.is_valid():
        try:
            rotation = services.rotation_plan(collection=collection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lập kế hoạch luân chuyển."))
            return redirect("circulation:rotation-detail", rotation.pk)
    return render(request, "circulation/rotation_form.html", {"collection": collection, "form": form})


@login_required
@require_GET
def rotation_list(request):
    rotations = selectors.rotations_for_user(request.user)
    status = request.GET.get("status", "")
    if status in Rotation.Status.values:
        rotations = rotations.filter(status=status)
    page = Paginator(rotations.order_by("-planned_dispatch_date", "-pk"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "circulation/rotation_list.html",
        {"page": page, "status": status, "statuses": Rotation.Status.choices, "today": timezone.localdate()},
    )


@login_required
@require_GET
def rotation_detail(request, pk: int):
    rotation = selectors.get_rotation_for_user(request.user, pk)
    can_manage = access.can_manage_library(request.user, rotation.owner_id)
    is_receiver = access.is_receiving_librarian(request.user, rotation)
    return render(
        request,
        "circulation/rotation_detail.html",
        {
            "rotation": rotation,
            "lines": selectors.rotation_lines(rotation),
            "events": selectors.rotation_history(rotation),
            "can_manage": can_manage,
            "is_receiver": is_receiver,
            "count_form": ReceiveCountForm(),
            "today": timezone.localdate(),
        },
    )


def _redirect_detail(rotation):
    return redirect("circulation:rotation-detail", rotation.pk)


@login_required
@require_POST
def rotation_dispatch(request, pk: int):
    rotation = selectors.get_rotation_for_owner(request.user, pk)
    try:
        services.rotation_dispatch(rotation=rotation, by=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã ghi nhận gửi sách. In biên bản bàn giao để hai bên ký."))
    return _redirect_detail(rotation)


def _int(value, default=None):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


@login_required
@require_http_methods(["GET", "POST"])
def rotation_receive(request, pk: int):
    rotation = selectors.get_rotation_for_receiver(request.user, pk)
    lines = list(selectors.rotation_lines(rotation))
    count_form = ReceiveCountForm(request.POST if request.POST.get("mode") == "count" else None)
    if request.method == "POST":
        try:
            if request.POST.get("mode") == "count":
                if not count_form.is_valid():
                    raise ValidationError(_("Nhập tổng số bản đã nhận (số nguyên không âm)."))
                services.rotation_receive(rotation=rotation, by=request.user, total=count_form.cleaned_data["total"])
            else:
                received = {}
                for line in lines:
                    value = _int(request.POST.get(f"received_{line.pk}"), default=-1)
                    received[line.pk] = value
                services.rotation_receive(
                    rotation=rotation, by=request.user, received=received, note=request.POST.get("note", "")[:500]
                )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Đã xác nhận nhận sách."))
            return _redirect_detail(rotation)
    return render(
        request,
        "circulation/rotation_receive.html",
        {"rotation": rotation, "lines": lines, "count_form": count_form, "scan_texts": _scan_texts()},
    )


def _scan_texts() -> dict:
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


@login_required
@require_POST
def rotation_return(request, pk: int):
    rotation = selectors.get_rotation_for_user(request.user, pk)
    if not access.can_return_rotation(request.user, rotation):
        raise PermissionDenied
    try:
        services.rotation_return(rotation=rotation, by=request.user, note=request.POST.get("note", "")[:500])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã ghi nhận trường gửi trả bộ sách."))
    return _redirect_detail(rotation)


@login_required
@require_http_methods(["GET", "POST"])
def rotation_check(request, pk: int):
    rotation = selectors.get_rotation_for_owner(request.user, pk)
    lines = list(selectors.rotation_lines(rotation))
    if request.method == "POST":
        results = {}
        for line in lines:
            values = [_int(request.POST.get(f"{k}_{line.pk}"), default=-1) for k in ("back", "lost", "damaged")]
            results[line.pk] = tuple(values)
        try:
            services.rotation_check(
                rotation=rotation, by=request.user, results=results, note=request.POST.get("note", "")[:500]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Đã kiểm nhận và kết thúc đợt luân chuyển."))
            return _redirect_detail(rotation)
    for line in lines:
        received = line.copies_received if line.copies_received is not None else line.copies_sent
        line.default_back, line.default_lost = received, line.copies_sent - received
    return render(request, "circulation/rotation_check.html", {"rotation": rotation, "lines": lines})


@login_required
@require_POST
def rotation_cancel(request, pk: int):
    rotation = selectors.get_rotation_for_owner(request.user, pk)
    try:
        services.rotation_cancel(rotation=rotation, by=request.user, note=request.POST.get("note", "")[:500])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.info(request, _("Đã hủy đợt luân chuyển."))
    return _redirect_detail(rotation)


def _document(request, pk: int, kind: str):
    rotation = selectors.get_rotation_for_user(request.user, pk)
    if rotation.dispatched_at is None:
        messages.error(request, _("Biên bản bàn giao chỉ có sau khi gửi sách."))
        return _redirect_detail(rotation)
    name = f"bien-ban-ban-giao-{rotation.pk}"
    if kind == "pdf":
        response = HttpResponse(documents.handover_pdf(rotation), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    else:
        response = HttpResponse(documents.handover_xlsx(rotation), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_GET
def handover_pdf(request, pk: int):
    return _document(request, pk, "pdf")


@login_required
@require_GET
def handover_xlsx(request, pk: int):
    return _document(request, pk, "xlsx")


# --- Routes ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def route_create(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    form = RouteForm(request.POST or None, owner=collection.owner)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            route = services.route_create(
                collection=collection,
                name=data["name"],
                school_year=data["school_year"],
                start_date=data["start_date"],
                stages=data["stages"],
                by=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Đã lập lộ trình luân chuyển."))
            return redirect("circulation:route-detail", route.pk)
    return render(request, "circulation/route_form.html", {"collection": collection, "form": form})


@login_required
@require_GET
def route_detail(request, pk: int):
    route = selectors.get_route_for_user(request.user, pk)
    return render(
        request,
        "circulation/route_detail.html",
        {"route": route, "schedule": services.route_schedule(route), "today": timezone.localdate()},
    )


# --- Overdue, discrepancies, statistics --------------------------------------------------------


@login_required
@require_GET
def discrepancy_list(request):
    form = DiscrepancyFilterForm(request.GET or None, user=request.user)
    library_id = district_id = None
    if form.is_bound and form.is_valid():
        library_id = form.cleaned_data["library"].pk if form.cleaned_data["library"] else None
        district_id = form.cleaned_data["district"].pk if form.cleaned_data["district"] else None
    elif form.is_bound:
        messages.warning(request, _("Bộ lọc không hợp lệ, đang hiển thị tất cả."))
    data = selectors.discrepancies(request.user, library_id=library_id, district_id=district_id)
    overdue, missing, losses = (list(data[k][:200]) for k in ("overdue", "missing", "losses"))
    today = timezone.localdate()
    for rotation in overdue:
        rotation.days_overdue = (today - rotation.due_date).days
    lines = selectors.missing_lines([r.pk for r in missing])
    for rotation in missing:
        rotation.missing_list = lines.get(rotation.pk, [])
    return render(
        request,
        "circulation/discrepancy_list.html",
        {"form": form, "overdue": overdue, "missing": missing, "losses": losses, "today": today},
    )


@login_required
@require_GET
def statistics(request):
    form = StatisticsFilterForm(request.GET or None, user=request.user)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "district_id": data["district"].pk if data["district"] else None,
            "school_library_id": data["school_library"].pk if data["school_library"] else None,
            "start": data["start"],
            "end": data["end"],
        }
    elif form.is_bound:
        messages.warning(request, _("Bộ lọc không hợp lệ, đang hiển thị toàn bộ thời gian."))
    stats = selectors.statistics(request.user, **filters)
    chart = {
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
    return render(request, "circulation/statistics.html", {"form": form, "stats": stats, "chart": chart})
