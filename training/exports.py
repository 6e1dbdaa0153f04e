"""The participant list and the attendance sheet of a course as .xlsx (openpyxl, write-only).

Every text cell goes through `core.spreadsheets.neutralise`, so a name typed as "=HYPERLINK(…)"
is shown, never run.
"""

import io

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.search import normalise
from core.spreadsheets import neutralise

from .models import Course
from .selectors import attendance_matrix

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(title: str, header: list[str], rows, widths: list[int]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    bold = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _response(data: bytes, course: Course, what: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    name = slugify(normalise(course.title))[:60] or "khoa-hoc"
    response["Content-Disposition"] = f'attachment; filename="{what}-{name}.xlsx"'
    return response


def participants_response(course: Course) -> HttpResponse:
    nominations = course.nominations.select_related(
        "staff__school__district", "nominating_organisation", "certificate"
    ).order_by("created_at", "pk")
    rows = []
    for index, n in enumerate(nominations, start=1):
        certificate = getattr(n, "certificate", None)
        rows.append(
            [
                index,
                n.staff.full_name,
                n.staff.school.name,
                n.staff.school.district.name if n.staff.school.district else "",
                n.staff.get_employment_display(),
                n.staff.phone,
                n.staff.email,
                n.nominating_organisation.name,
                n.get_state_display(),
                certificate.code if certificate else "",
            ]
        )
    header = [
        _("STT"),
        _("Họ và tên"),
        _("Trường"),
        _("Huyện / thành phố"),
        _("Chế độ"),
        _("Điện thoại"),
        _("Thư điện tử"),
        _("Đơn vị đề cử"),
        _("Trạng thái"),
        _("Mã chứng nhận"),
    ]
    data = _workbook(_("Danh sách học viên"), header, rows, [6, 28, 36, 18, 14, 14, 28, 36, 18, 14])
    return _response(data, course, "danh-sach-hoc-vien")


def attendance_response(course: Course) -> HttpResponse:
    sessions, people, present = attendance_matrix(course)
    header = [_("STT"), _("Họ và tên"), _("Trường")]
    header += [f"{s.date:%d/%m/%Y}" for s in sessions]
    header.append(_("Số buổi có mặt"))
    rows = []
    for index, n in enumerate(people, start=1):
        marks = ["x" if (n.pk, s.pk) in present else "" for s in sessions]
        rows.append([index, n.staff.full_name, n.staff.school.name, *marks, marks.count("x")])
    widths = [6, 28, 36] + [12] * len(sessions) + [14]
    data = _workbook(_("Điểm danh"), header, rows, widths)
    return _response(data, course, "diem-danh")
