from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import paging
from core.pages import action, form_page, refusal

from . import access, documents, presenters, selectors, services
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
from .imports import template_workbook
from .models import Rotation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _to_collection(collection_or_id) -> str:
    return reverse("circulation:collection-detail", args=[getattr(collection_or_id, "pk", collection_or_id)])


def _to_rotation(rotation) -> str:
    return reverse("circulation:rotation-detail", args=[rotation.pk])


def _succeeds(request, call, message: str) -> bool:
    """Run one service for a page that shows itself again when refused (the receipt and the
    check keep what was typed): say what happened or why not."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, refusal(exc))
        return False
    messages.success(request, message)
    return True


def _info(request, text: str, target: str):
    """For the buttons whose outcome is news rather than success (cancel, discard)."""
    messages.info(request, text)
    return target


# --- Collections -----------------------------------------------------------------------------


def _query(request) -> str:
    return " ".join(request.GET.get("q", "").split())[:100]


@login_required
@require_GET
def collection_list(request):
    archived = request.GET.get("archived") == "1"
    context = presenters.collection_list_page(
        request.user, query=_query(request), archived=archived, page_number=request.GET.get("page")
    )
    return render(request, "circulation/collection_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def collection_create(request):
    libraries = access.managed_libraries(request.user)
    if not libraries.exists():
        raise PermissionDenied
    return form_page(
        request,
        CollectionForm(request.POST or None, libraries=libraries),
        template="circulation/collection_form.html",
        save=lambda data: services.collection_create(by=request.user, **data),
        success=_to_collection,
        message=lambda collection: _("Đã tạo bộ sách “%(n)s”.") % {"n": collection.name},
    )


@login_required
@require_GET
def collection_detail(request, pk: int):
    collection = selectors.get_collection_for_user(request.user, pk)
    context = presenters.collection_page(
        request.user, collection, query=_query(request), page_number=request.GET.get("page")
    )
    return render(request, "circulation/collection_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def collection_edit(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    return form_page(
        request,
        CollectionEditForm(request.POST or None, instance=collection),
        template="circulation/collection_edit.html",
        save=lambda data: services.collection_update(collection=collection, by=request.user, **data),
        success=_to_collection(collection),
        message=_("Đã lưu thông tin bộ sách."),
        context={"collection": collection},
    )


@login_required
@require_POST
def collection_archive(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    return action(
        request,
        partial(services.collection_archive, collection=collection, by=request.user),
        success=_to_collection(collection),
        message=_("Đã ngừng sử dụng bộ sách “%(n)s”.") % {"n": collection.name},
    )


@login_required
@require_POST
def collection_restore(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    return action(
        request,
        partial(services.collection_restore, collection=collection, by=request.user),
        success=_to_collection(collection),
        message=_("Bộ sách “%(n)s” được sử dụng trở lại.") % {"n": collection.name},
    )


# --- Items -----------------------------------------------------------------------------------


def _item_form(request, form, collection, *, save, success, message, item=None):
    """The item page, for a new title and an existing one alike."""
    is_out = collection is not None and selectors.collection_is_out(collection)
    context = {"collection": collection, "item": item, "is_out": is_out}
    return form_page(
        request,
        form,
        template="circulation/item_form.html",
        save=save,
        success=success,
        message=message,
        context=context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    another = "another" in request.POST
    return _item_form(
        request,
        ItemForm(request.POST or None),
        collection,
        save=lambda data: services.item_create(collection=collection, by=request.user, **data),
        success=reverse("circulation:item-create", args=[collection.pk]) if another else _to_collection(collection),
        message=lambda item: _("Đã thêm “%(t)s” vào bộ sách.") % {"t": item.title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int):
    item = selectors.get_item_for_manager(request.user, pk)
    return _item_form(
        request,
        ItemForm.for_item(item, request.POST or None),
        item.collection,
        save=lambda data: services.item_update(item=item, by=request.user, **data),
        success=_to_collection(item.collection_id)
        if item.collection_id
        else reverse("circulation:item-edit", args=[item.pk]),
        message=lambda saved: _("Đã lưu “%(t)s”.") % {"t": saved.title},
        item=item,
    )


@login_required
@require_POST
def item_remove(request, pk: int):
    item = selectors.get_item_for_manager(request.user, pk)
    return action(
        request,
        partial(services.item_remove, item=item, by=request.user),
        success=_to_collection(item.collection_id),
        message=_("Đã gỡ “%(t)s” khỏi bộ sách; sách vẫn còn trong kho của thư viện.") % {"t": item.title},
        failure=reverse("circulation:item-edit", args=[item.pk]),
    )


# --- Imports ---------------------------------------------------------------------------------


def _read_upload(collection, by, data):
    """The upload read into a pending batch; a file that cannot be read is the file field's error."""
    uploaded = data["file"]
    try:
        return services.import_preview(collection=collection, uploaded=uploaded, filename=uploaded.name, by=by)
    except ValidationError as exc:
        raise ValidationError({"file": refusal(exc)}) from None


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    return form_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        template="circulation/import_upload.html",
        save=partial(_read_upload, collection, request.user),
        success=lambda batch: reverse("circulation:import-preview", args=[batch.pk]),
        context={"collection": collection},
    )


def _to_import(batch) -> str:
    return reverse("circulation:import-preview", args=[batch.pk])


@login_required
@require_POST
def import_reread(request, pk: int):
    batch = selectors.get_import_for_manager(request.user, pk)
    return action(
        request,
        partial(services.import_reread, batch=batch, encoding=request.POST.get("encoding", ""), by=request.user),
        success=_to_import,
        message=lambda read: _("Đã đọc lại tệp theo bảng mã %(e)s.") % {"e": read.get_encoding_display()},
        failure=_to_import(batch),
    )


@login_required
@require_GET
def import_preview(request, pk: int):
    batch = selectors.get_import_for_manager(request.user, pk)
    return render(request, "circulation/import_preview.html", presenters.import_preview_page(batch))


@login_required
@require_POST
def import_confirm(request, pk: int):
    batch = selectors.get_import_for_manager(request.user, pk)
    return action(
        request,
        partial(services.import_confirm, batch=batch, by=request.user),
        success=_to_collection(batch.collection_id),
        message=lambda count: _("Đã nhập %(n)s tên sách vào bộ sách.") % {"n": count},
        failure=_to_import(batch),
    )


@login_required
@require_POST
def import_discard(request, pk: int):
    batch = selectors.get_import_for_manager(request.user, pk)
    text = _("Đã hủy lần nhập, không có sách nào được ghi.")
    return action(
        request,
        partial(services.import_discard, batch=batch, by=request.user),
        success=lambda _none: _info(request, text, _to_collection(batch.collection_id)),
        failure=_to_collection(batch.collection_id),
    )


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
    return form_page(
        request,
        RotationPlanForm(request.POST or None, owner=collection.owner),
        template="circulation/rotation_form.html",
        save=lambda data: services.rotation_plan(collection=collection, by=request.user, **data),
        success=_to_rotation,
        message=_("Đã lập kế hoạch luân chuyển."),
        context={"collection": collection},
    )


@login_required
@require_GET
def rotation_list(request):
    status = request.GET.get("status", "")

    def rotations():
        found = selectors.rotations_for_user(request.user)
        if status in Rotation.Status.values:
            found = found.filter(status=status)
        return paging.OrderedIds(found.order_by("-planned_dispatch_date", "-pk"))

    page = paging.lazy_page(rotations, 30, request.GET.get("page"))
    return render(
        request,
        "circulation/rotation_list.html",
        {"page": page, "status": status, "statuses": Rotation.Status.choices, "today": timezone.localdate()},
    )


@login_required
@require_GET
def rotation_detail(request, pk: int):
    rotation = selectors.get_rotation_for_user(request.user, pk)
    return render(request, "circulation/rotation_detail.html", presenters.rotation_page(request.user, rotation))


def _redirect_detail(rotation):
    return redirect(_to_rotation(rotation))


def _note(request) -> str:
    return request.POST.get("note", "")[:500]


@login_required
@require_POST
def rotation_dispatch(request, pk: int):
    rotation = selectors.get_rotation_for_owner(request.user, pk)
    return action(
        request,
        partial(services.rotation_dispatch, rotation=rotation, by=request.user),
        success=_to_rotation(rotation),
        message=_("Đã ghi nhận gửi sách. In biên bản bàn giao để hai bên ký."),
    )


def _int(value, default=None):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _receive(request, rotation, lines, count_form):
    """Record the receipt as posted: a total, or the copies received per line (-1 where
    unreadable, which the service refuses)."""
    if request.POST.get("mode") == "count":
        if not count_form.is_valid():
            raise ValidationError(_("Nhập tổng số bản đã nhận (số nguyên không âm)."))
        return services.rotation_receive(rotation=rotation, by=request.user, total=count_form.cleaned_data["total"])
    received = {line.pk: _int(request.POST.get(f"received_{line.pk}"), default=-1) for line in lines}
    return services.rotation_receive(rotation=rotation, by=request.user, received=received, note=_note(request))


@login_required
@require_http_methods(["GET", "POST"])
def rotation_receive(request, pk: int):
    rotation = selectors.get_rotation_for_receiver(request.user, pk)
    lines = list(selectors.rotation_lines(rotation))
    count_form = ReceiveCountForm(request.POST if request.POST.get("mode") == "count" else None)
    receive = partial(_receive, request, rotation, lines, count_form)
    if request.method == "POST" and _succeeds(request, receive, _("Đã xác nhận nhận sách.")):
        return _redirect_detail(rotation)
    context = {"rotation": rotation, "lines": lines, "count_form": count_form, "scan_texts": presenters.scan_texts()}
    return render(request, "circulation/rotation_receive.html", context)


@login_required
@require_POST
def rotation_return(request, pk: int):
    rotation = selectors.get_rotation_for_user(request.user, pk)
    if not access.can_return_rotation(request.user, rotation):
        raise PermissionDenied
    return action(
        request,
        partial(services.rotation_return, rotation=rotation, by=request.user, note=_note(request)),
        success=_to_rotation(rotation),
        message=_("Đã ghi nhận trường gửi trả bộ sách."),
    )


def _check_results(request, lines) -> dict:
    """(back, lost, damaged) per line as posted (-1 where unreadable, which the service refuses)."""
    keys = ("back", "lost", "damaged")
    return {line.pk: tuple(_int(request.POST.get(f"{k}_{line.pk}"), default=-1) for k in keys) for line in lines}


@login_required
@require_http_methods(["GET", "POST"])
def rotation_check(request, pk: int):
    rotation = selectors.get_rotation_for_owner(request.user, pk)
    lines = presenters.check_lines(rotation)
    if request.method == "POST":
        check = partial(
            services.rotation_check,
            rotation=rotation,
            by=request.user,
            results=_check_results(request, lines),
            note=_note(request),
        )
        if _succeeds(request, check, _("Đã kiểm nhận và kết thúc đợt luân chuyển.")):
            return _redirect_detail(rotation)
    return render(request, "circulation/rotation_check.html", {"rotation": rotation, "lines": lines})


@login_required
@require_POST
def rotation_cancel(request, pk: int):
    rotation = selectors.get_rotation_for_owner(request.user, pk)
    return action(
        request,
        partial(services.rotation_cancel, rotation=rotation, by=request.user, note=_note(request)),
        success=lambda _cancelled: _info(request, _("Đã hủy đợt luân chuyển."), _to_rotation(rotation)),
        failure=_to_rotation(rotation),
    )


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


def _new_route(collection, by, data):
    fields = {name: data[name] for name in ("name", "school_year", "start_date", "stages")}
    return services.route_create(collection=collection, by=by, **fields)


@login_required
@require_http_methods(["GET", "POST"])
def route_create(request, pk: int):
    collection = selectors.get_collection_for_manager(request.user, pk)
    return form_page(
        request,
        RouteForm(request.POST or None, owner=collection.owner),
        template="circulation/route_form.html",
        save=partial(_new_route, collection, request.user),
        success=lambda route: reverse("circulation:route-detail", args=[route.pk]),
        message=_("Đã lập lộ trình luân chuyển."),
        context={"collection": collection},
    )


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
    context = presenters.discrepancy_page(request.user, form)
    if form.is_bound and not form.is_valid():
        messages.warning(request, _("Bộ lọc không hợp lệ, đang hiển thị tất cả."))
    return render(request, "circulation/discrepancy_list.html", context)


@login_required
@require_GET
def statistics(request):
    form = StatisticsFilterForm(request.GET or None, user=request.user)
    context = presenters.statistics_page(request.user, form)
    if form.is_bound and not form.is_valid():
        messages.warning(request, _("Bộ lọc không hợp lệ, đang hiển thị toàn bộ thời gian."))
    return render(request, "circulation/statistics.html", context)
