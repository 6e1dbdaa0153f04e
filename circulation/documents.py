"""The packing list and handover record (biên bản bàn giao) of a rotation, as PDF (fpdf2 with
the DejaVu fonts kept in core/fonts) and as .xlsx, each with signature blocks for both sides."""

import io
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import neutralise, neutralise_workbook

from .models import Rotation
from .selectors import rotation_lines

FONT_DIR = Path(__file__).resolve().parent.parent / "core" / "fonts"


def _header_lines(rotation: Rotation) -> list[tuple[str, str]]:
    local = timezone.localtime(rotation.dispatched_at) if rotation.dispatched_at else None
    return [
        (_("Bên giao"), str(rotation.owner)),
        (_("Bên nhận"), f"{rotation.school_library}"),
        (_("Bộ sách"), f"{rotation.collection.code} – {rotation.collection.name}"),
        (
            _("Ngày gửi"),
            local.strftime("%d/%m/%Y %H:%M") if local else rotation.planned_dispatch_date.strftime("%d/%m/%Y"),
        ),
        (_("Người gửi"), rotation.dispatched_by.get_full_name() if rotation.dispatched_by else ""),
        (_("Hạn trả"), rotation.due_date.strftime("%d/%m/%Y")),
        (_("Tổng số"), _("%(t)s tên sách, %(c)s bản") % {"t": rotation.titles_sent, "c": rotation.copies_sent}),
    ]


def _title(rotation: Rotation) -> str:
    return _("BIÊN BẢN BÀN GIAO SÁCH LUÂN CHUYỂN")


def handover_pdf(rotation: Rotation) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(_title(rotation))
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(width / 2, 5, _("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"), align="C")
    pdf.cell(width / 2, 5, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(width / 2, 5, str(rotation.owner)[:60], align="C")
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(width / 2, 5, _("Độc lập - Tự do - Hạnh phúc"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(width, 8, _title(rotation), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(width, 5, _("kèm danh mục sách (số %(n)s)") % {"n": rotation.pk}, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, value in _header_lines(rotation):
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(30, 6, f"{label}:")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(width - 30, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(width, 7, _("DANH MỤC SÁCH GỬI"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    headings = (_("STT"), _("Nhan đề"), _("Ký hiệu"), _("Mã vạch"), _("Số bản"), _("Nhận"))
    with pdf.table(
        col_widths=(8, 90, 30, 28, 14, 14),
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        line_height=5,
    ) as table:
        head = table.row()
        for text in headings:
            head.cell(text)
        for line in rotation_lines(rotation):
            row = table.row()
            row.cell(str(line.position))
            row.cell(line.title)
            row.cell(line.call_number)
            row.cell(line.barcode)
            row.cell(str(line.copies_sent))
            row.cell("" if line.copies_received is None else str(line.copies_received))
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        width,
        5,
        _(
            "Hai bên đã kiểm đếm số sách theo danh mục trên. Bên nhận có trách nhiệm bảo quản, phục vụ bạn đọc "
            "và trả lại đủ số sách trước ngày %(d)s. Biên bản lập thành 02 bản, mỗi bên giữ 01 bản."
        )
        % {"d": rotation.due_date.strftime("%d/%m/%Y")},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    if pdf.will_page_break(40):
        pdf.add_page()
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(width / 2, 6, _("ĐẠI DIỆN BÊN GIAO"), align="C")
    pdf.cell(width / 2, 6, _("ĐẠI DIỆN BÊN NHẬN"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(width / 2, 5, _("(Ký, ghi rõ họ tên)"), align="C")
    pdf.cell(width / 2, 5, _("(Ký, ghi rõ họ tên)"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(22)
    sender = rotation.dispatched_by.get_full_name() if rotation.dispatched_by else ""
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(width / 2, 6, sender, align="C")
    pdf.cell(width / 2, 6, "", align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def handover_xlsx(rotation: Rotation) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Biên bản bàn giao"
    bold = Font(bold=True)
    sheet.append([_title(rotation)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:F1")
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([])
    for label, value in _header_lines(rotation):
        sheet.append([label, neutralise(value)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    sheet.append([_("STT"), _("Nhan đề"), _("Ký hiệu xếp giá"), _("Mã vạch"), _("Số bản gửi"), _("Số bản nhận")])
    header_row = sheet.max_row
    thin = Side(style="thin")
    for cell in sheet[header_row]:
        cell.font = bold
    for line in rotation_lines(rotation):
        sheet.append(
            [
                line.position,
                neutralise(line.title),
                neutralise(line.call_number),
                None,
                line.copies_sent,
                line.copies_received,
            ]
        )
        barcode = sheet.cell(row=sheet.max_row, column=4, value=line.barcode)
        barcode.data_type = "s"
    for row in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row, max_col=6):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([])
    sheet.append([_("Tổng cộng"), None, None, None, rotation.copies_sent])
    sheet.append([])
    sheet.append([_("ĐẠI DIỆN BÊN GIAO"), None, None, _("ĐẠI DIỆN BÊN NHẬN")])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.cell(row=sheet.max_row, column=4).font = bold
    sheet.append([_("(Ký, ghi rõ họ tên)"), None, None, _("(Ký, ghi rõ họ tên)")])
    for _blank in range(4):
        sheet.append([])
    sheet.append([rotation.dispatched_by.get_full_name() if rotation.dispatched_by else "", None, None, ""])
    for column, width in zip("ABCDEF", (14, 60, 20, 18, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    neutralise_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
