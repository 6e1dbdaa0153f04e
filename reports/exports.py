"""Consolidated exports: the .xlsx tables (written in openpyxl's write-only mode to a
temporary file, then streamed) and the 6-monthly consolidated report as a .docx laid out
as a Vietnamese administrative document."""

import io
import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheets import neutralise
from directory.models import Organisation
from directory.selectors import organisation_name_on

from . import selectors


def change(current, previous) -> float | None:
    """Percentage change, None when it cannot be computed."""
    if current is None or not previous:
        return None
    return round(100 * (current - previous) / previous, 1)


def _text(ws, value, bold=False):
    """A text cell, neutralised. A plain string is what openpyxl writes fastest; it is always
    written as text once neutralised (it no longer starts with "="), except the few words
    Excel reads as error codes, which get a cell of their own typed as text, as bold ones do."""
    if isinstance(value, str):
        value = neutralise(value)
        if not bold and value not in ERROR_CODES:
            return value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _layout(ws, widths: list[float], freeze: str) -> None:
    """Column widths and frozen headers, set before the first row (write-only sheets)."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = freeze


def consolidation_workbook(period, *, sector: str | None = None, years: int = 2):
    """A temporary file holding the consolidated workbook of `period`: province totals with
    the previous period and the same period last year, the district breakdown, totals of
    every period of the last `years` years, the narrative sections and the completeness
    table. Every text cell is neutralised against formula injection. A bounded number of
    queries whatever the number of districts and periods."""
    previous, last_year = selectors.related_periods(period)
    series = selectors.series_periods(period, years=years)
    extra = [p for p in (previous, last_year) if p is not None and p.pk not in {s.pk for s in series}]
    data = selectors.consolidate([*series, *extra], sector=sector)
    wb = Workbook(write_only=True)

    codes = len(data.indicators)
    ws = wb.create_sheet(_("Tổng hợp tỉnh"))
    _layout(ws, [8, 60, 12, 16, 16, 14, 16, 14], "C3")
    ws.append([_text(ws, _("TỔNG HỢP KẾT QUẢ %(period)s") % {"period": str(period).upper()}, bold=True)])
    ws.append(
        [
            _text(ws, h, bold=True)
            for h in [
                _("Mã"),
                _("Chỉ tiêu"),
                _("Đơn vị tính"),
                str(period),
                str(previous) if previous else _("Kỳ trước"),
                _("Tăng/giảm so với kỳ trước (%)"),
                str(last_year) if last_year else _("Cùng kỳ năm trước"),
                _("Tăng/giảm so với cùng kỳ (%)"),
            ]
        ]
    )
    for ind in data.indicators:
        cur = data.totals.get((period.pk, ind.code))
        prev = data.totals.get((previous.pk, ind.code)) if previous else None
        last = data.totals.get((last_year.pk, ind.code)) if last_year else None
        ws.append(
            [
                _text(ws, ind.code),
                _text(ws, ind.label),
                _text(ws, ind.unit),
                cur,
                prev,
                change(cur, prev),
                last,
                change(cur, last),
            ]
        )

    ws = wb.create_sheet(_("Theo huyện"))
    _layout(ws, [24] + [9] * codes, "B2")
    ws.append([_text(ws, h, bold=True) for h in [_("Huyện / thành phố"), *[i.code for i in data.indicators]]])
    for district in data.districts:
        ws.append([_text(ws, district.name_with_type), *data.unit_values(period.pk, district.pk)])
    ws.append([_text(ws, _("Toàn tỉnh"), bold=True)] + [data.totals.get((period.pk, i.code)) for i in data.indicators])

    ws = wb.create_sheet(_("Theo kỳ"))
    _layout(ws, [24, 11] + [9] * codes, "C2")
    ws.append([_text(ws, h, bold=True) for h in [_("Kỳ báo cáo"), _("Số báo cáo"), *[i.code for i in data.indicators]]])
    for p in series:
        ws.append(
            [_text(ws, str(p)), data.reporting.get(p.pk, 0)]
            + [data.totals.get((p.pk, i.code)) for i in data.indicators]
        )
    ws = wb.create_sheet(_("Theo huyện, theo kỳ"))
    _layout(ws, [11, 16] + [9] * codes, "C2")
    ws.append(
        [_text(ws, h, bold=True) for h in [_("Kỳ báo cáo"), _("Huyện / thành phố"), *[i.code for i in data.indicators]]]
    )
    # A period's key and a unit's name are written on many rows: neutralised once and reused
    # when they are plain strings (openpyxl writes the rest of a row through a cell object it
    # is given, so a cell is never shared between rows).
    values = data.unit_values
    names = [(district.pk, district.name, _text(ws, district.name)) for district in data.districts]
    for p in series:
        key, period_id = p.key, p.pk
        key_text = _text(ws, key)
        for district_id, name, name_text in names:
            ws.append(
                [
                    key_text if isinstance(key_text, str) else _text(ws, key),
                    name_text if isinstance(name_text, str) else _text(ws, name),
                    *values(period_id, district_id),
                ]
            )

    ws = wb.create_sheet(_("Thuyết minh"))
    _layout(ws, [16, 45, 32, 100], "A2")
    ws.append([_text(ws, h, bold=True) for h in [_("Huyện / thành phố"), _("Đơn vị"), _("Mục"), _("Nội dung")]])
    narratives = selectors.narratives(period, sector=sector).values_list(
        "report__organisation__district__name",
        "report__organisation__name",
        "indicator__code",
        "indicator__label",
        "text",
    )
    for district, name, code, label, text in narratives.iterator(chunk_size=2000):
        ws.append([_text(ws, district or ""), _text(ws, name), _text(ws, f"{code} – {label}"), _text(ws, text)])

    ws = wb.create_sheet(_("Tiến độ nộp"))
    _layout(ws, [16, 55, 14, 17, 11], "A2")
    ws.append(
        [
            _text(ws, h, bold=True)
            for h in [_("Huyện / thành phố"), _("Đơn vị"), _("Trạng thái"), _("Nộp lúc"), _("Đúng hạn")]
        ]
    )
    status_labels = {k: str(v) for k, v in selectors.Report.Status.choices}
    not_started, late, on_time = _("Chưa lập"), _("Muộn"), _("Đúng hạn")
    for district, name, status, submitted_at, is_late in selectors.completeness_rows(period, sector=sector):
        received = status in selectors.Report.RECEIVED
        ws.append(
            [
                _text(ws, district or ""),
                _text(ws, name),
                _text(ws, status_labels.get(status, not_started)),
                _text(ws, timezone.localtime(submitted_at).strftime("%d/%m/%Y %H:%M") if submitted_at else ""),
                _text(ws, "" if not received else (late if is_late else on_time)),
            ]
        )

    # FileResponse streams the file in chunks and closes it when the response is done.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    wb.save(handle)
    handle.seek(0)
    return handle


# --- The consolidated 6-monthly report (.docx) ---------------------------------------------

FOCAL = {
    Organisation.Sector.CULTURE: ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "THƯ VIỆN TỈNH", "TVT", "GIÁM ĐỐC"),
    Organisation.Sector.EDUCATION: ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "VĂN PHÒNG SỞ", "VP", "CHÁNH VĂN PHÒNG"),
}


def consolidated_report_docx(period, *, sector: str, by=None) -> bytes:
    """The focal unit's consolidated report for its leaders (programme V.5), as an editable
    Word document: national motto header, number and date line, Times New Roman, sections of
    results with the province table, what the districts reported, and the "Nơi nhận" block."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    previous, last_year = selectors.related_periods(period)
    data = selectors.consolidate([period, previous, last_year], sector=sector)
    status = selectors.completeness(period, sector=sector)
    parent, unit, code, signer = FOCAL.get(sector, FOCAL[Organisation.Sector.CULTURE])
    # The document speaks in the names in force at the end of the period it reports on: a
    # 2024 report is issued in Hòa Bình's name even when printed after the 2025 merger, a 2026
    # one in Phú Thọ's.
    issued_on = min(timezone.localdate(), period.lock_date)
    department = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, sector=sector).order_by("pk").first()
    place = _("Hòa Bình")
    if department is not None:
        department_name = organisation_name_on(department, period.data_end)
        parent = department_name.upper()
        if "tỉnh " in department_name:
            place = department_name.rsplit("tỉnh ", 1)[1]
    communes_report = period.required_organisations.filter(kind=Organisation.Kind.CULTURE_SOCIAL_OFFICE).exists()

    doc = Document()
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(4)

    def widths(table, sizes):
        """Fixed column widths (Word reads the cells, LibreOffice the grid)."""
        table.autofit = False
        for column, size in zip(table.columns, sizes, strict=True):
            column.width = size
            for cell in column.cells:
                cell.width = size

    def para(text="", *, bold=False, italic=False, underline=False, size=None, align=None, cell=None, body=False):
        if cell is None:
            p = doc.add_paragraph()
            if body:  # running text: justified, first line indented
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                p.paragraph_format.first_line_indent = Cm(1)
        elif len(cell.paragraphs) == 1 and not cell.paragraphs[0].runs:
            p = cell.paragraphs[0]
        else:
            p = cell.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.name = "Times New Roman"
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        return p

    center = WD_ALIGN_PARAGRAPH.CENTER
    # Row 1: issuing body | national motto; row 2: number | place and date, on one line
    # whatever the length of the body's name.
    header = doc.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(header, [Cm(6.5), Cm(9.5)])
    left, right = header.rows[0].cells
    para(parent, size=12, align=center, cell=left)
    para(unit, bold=True, underline=True, size=12, align=center, cell=left)
    para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=center, cell=right)
    para("Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=13, align=center, cell=right)
    left, right = header.rows[1].cells
    para(_("Số: …/BC-%(code)s") % {"code": code}, size=13, align=center, cell=left)
    para(
        _("%(place)s, ngày … tháng … năm %(y)s") % {"place": place, "y": issued_on.year},
        italic=True,
        size=13,
        align=center,
        cell=right,
    )

    para()
    para(_("BÁO CÁO"), bold=True, size=14, align=center)
    para(
        _("Kết quả thực hiện Chương trình phối hợp về thư viện và học tập suốt đời %(period)s")
        % {"period": str(period).lower()},
        bold=True,
        size=14,
        align=center,
    )
    para("")
    para(_("I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ"), bold=True)
    total = status.total
    para(
        _(
            "Kỳ báo cáo có %(expected)s đơn vị phải báo cáo; %(submitted)s đơn vị đã nộp (%(on_time)s đúng hạn, "
            "%(late)s muộn), %(missing)s đơn vị chưa nộp. Tỷ lệ báo cáo đầy đủ %(rate)s%%, đúng hạn %(timely)s%%."
        )
        % {
            "expected": total.expected,
            "submitted": total.submitted,
            "on_time": total.on_time,
            "late": total.late,
            "missing": total.missing,
            "rate": _decimal(total.completeness_rate),
            "timely": _decimal(total.timeliness_rate),
        },
        body=True,
    )
    missing = [row.name for row in status.rows if not row.received]
    if missing:
        para(_("Các đơn vị chưa nộp: %(names)s.") % {"names": "; ".join(missing)}, body=True)

    para(_("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"), bold=True)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    heads = [
        _("TT"),
        _("Chỉ tiêu"),
        _("ĐVT"),
        str(period),
        str(previous) if previous else _("Kỳ trước"),
        str(last_year) if last_year else _("Cùng kỳ năm trước"),
    ]
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = ""
        para(text, bold=True, size=11, align=center, cell=cell)
    right_align = WD_ALIGN_PARAGRAPH.RIGHT
    aligns = [center, None, center, right_align, right_align, right_align]
    for number, ind in enumerate(data.indicators, start=1):
        cells = table.add_row().cells
        cur = data.totals.get((period.pk, ind.code))
        prev = data.totals.get((previous.pk, ind.code)) if previous else None
        last = data.totals.get((last_year.pk, ind.code)) if last_year else None
        texts = [str(number), ind.label, ind.unit, _num(cur), _num(prev), _num(last)]
        for cell, text, align in zip(cells, texts, aligns, strict=True):
            cell.text = ""
            para(text, size=11, cell=cell, align=align).paragraph_format.space_after = Pt(0)
    widths(table, [Cm(1), Cm(6.6), Cm(1.9), Cm(2.2), Cm(2.2), Cm(2.1)])

    para()
    if communes_report:
        para(_("III. TÌNH HÌNH THỰC HIỆN TẠI CÁC XÃ, PHƯỜNG"), bold=True)
    else:
        para(_("III. TÌNH HÌNH THỰC HIỆN TẠI CÁC HUYỆN, THÀNH PHỐ"), bold=True)
    current_org = None
    for value in selectors.narratives(period, sector=sector):
        org = value.report.organisation
        if org.pk != current_org:
            current_org = org.pk
            para(org.name, bold=True, italic=True)
        para(f"{value.indicator.label}: {value.text}", body=True)

    para(_("IV. ĐỀ XUẤT, KIẾN NGHỊ"), bold=True)
    para(_("(Đơn vị đầu mối bổ sung trước khi trình ký.)"), italic=True, body=True)

    para()
    footer = doc.add_table(rows=1, cols=2)
    widths(footer, [Cm(7.5), Cm(8.5)])
    left, right = footer.rows[0].cells
    para(_("Nơi nhận:"), bold=True, italic=True, size=12, cell=left)
    for line in [
        _("- Lãnh đạo Sở VHTTDL;"),
        _("- Lãnh đạo Sở GD&ĐT;"),
        _("- Thư viện tỉnh, Văn phòng Sở GD&ĐT;"),
        _("- Phòng Văn hóa – Xã hội các xã, phường;")
        if communes_report
        else _("- Phòng VH&TT, Phòng GD&ĐT các huyện, thành phố;"),
        _("- Lưu: VT, %(code)s.") % {"code": code},
    ]:
        para(line, size=11, cell=left).paragraph_format.space_after = Pt(0)
    para(signer, bold=True, size=13, align=center, cell=right)
    para(_("(Ký, ghi rõ họ tên, đóng dấu)"), italic=True, size=12, align=center, cell=right)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _decimal(value: float) -> str:
    """90.0 → "90,0" (Vietnamese decimal comma)."""
    return f"{value:.1f}".replace(".", ",")


def _num(value) -> str:
    return "" if value is None else f"{value:,}".replace(",", ".")
