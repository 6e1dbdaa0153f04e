"""The annual and whole-programme consolidation (programme V.6): the figures of a span of
6-month periods, each indicator by its aggregation type, with the plans' activities and the
meetings held; exported as .xlsx and as the review report (báo cáo sơ kết / tổng kết) in the
Decree 30/2020/NĐ-CP layout."""

import io
import tempfile
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from directory.models import Organisation

from . import selectors
from .exports import FOCAL, _layout, _num, _text


@dataclass
class Review:
    """Everything the review report holds for a year or a programme."""

    kind: str  # "year" or "programme"
    title: str  # "năm 2019" / "giai đoạn 2019-2020"
    years: list
    figures: selectors.SpanConsolidation
    activities: list  # PlanActivity with latest_percent / latest_achieved, plan prefetched
    meetings: list  # Meeting held in the span, oldest first


def review_for(*, kind: str, years: list[int], title: str, periods: list, sector: str | None = None) -> Review:
    """The review's content: figures (four queries), the activities of each year's plan with
    their latest progress (one query per year) and the meetings held (one query)."""
    from programs.models import Meeting
    from programs.selectors import activities_with_progress, current_plan

    figures = selectors.span_consolidation(periods, title=title, sector=sector)
    activities = []
    for year in years:
        plan = current_plan(year)
        if plan is not None:
            activities += [(year, a) for a in activities_with_progress(plan)]
    meetings = list(
        Meeting.objects.filter(starts_at__year__in=years, cancelled=False, starts_at__lte=timezone.now()).order_by(
            "starts_at"
        )
    )
    return Review(kind=kind, title=title, years=years, figures=figures, activities=activities, meetings=meetings)


def _aggregation_label(indicator) -> str:
    return str(indicator.get_aggregation_display())


def review_workbook(review: Review):
    """A temporary file with the review's figures (province, per period and for the span),
    the per-district figures, the activities and the meetings. Text cells neutralised."""
    wb = Workbook(write_only=True)
    figures = review.figures
    ws = wb.create_sheet(_("Tổng hợp"))
    _layout(ws, [8, 60, 12, 22, *[14] * len(figures.periods), 16], "C3")
    ws.append([_text(ws, _("TỔNG HỢP KẾT QUẢ %(t)s") % {"t": review.title.upper()}, bold=True)])
    ws.append(
        [
            _text(ws, h, bold=True)
            for h in [
                _("Mã"),
                _("Chỉ tiêu"),
                _("ĐVT"),
                _("Cách tổng hợp"),
                *[str(p) for p in figures.periods],
                _("Cả năm") if review.kind == "year" else _("Cả giai đoạn"),
            ]
        ]
    )
    for row in figures.rows:
        ws.append(
            [
                _text(ws, row.indicator.code),
                _text(ws, row.indicator.label),
                _text(ws, row.indicator.unit),
                _text(ws, _aggregation_label(row.indicator)),
                *row.by_period,
                row.total,
            ]
        )
    ws = wb.create_sheet(_("Theo huyện"))
    _layout(ws, [8, 50, *[14] * len(figures.districts)], "C2")
    ws.append([_text(ws, h, bold=True) for h in [_("Mã"), _("Chỉ tiêu"), *[d.name for d in figures.districts]]])
    for row in figures.rows:
        ws.append([_text(ws, row.indicator.code), _text(ws, row.indicator.label), *row.by_district])
    ws = wb.create_sheet(_("Hoạt động"))
    _layout(ws, [8, 60, 40, 12, 14, 12, 18], "A2")
    ws.append(
        [
            _text(ws, h, bold=True)
            for h in [
                _("Năm"),
                _("Hoạt động"),
                _("Đơn vị chủ trì"),
                _("Chỉ tiêu"),
                _("Đạt"),
                _("Tiến độ (%)"),
                _("Tình trạng"),
            ]
        ]
    )
    for year, activity in review.activities:
        ws.append(
            [
                year,
                _text(ws, activity.title),
                _text(ws, activity.lead_unit.name),
                int(activity.target_value) if activity.target_value is not None else None,
                int(activity.latest_achieved) if activity.latest_achieved is not None else None,
                activity.latest_percent,
                _text(ws, str(activity.get_status_display())),
            ]
        )
    ws = wb.create_sheet(_("Cuộc họp"))
    _layout(ws, [12, 30, 70, 50], "A2")
    ws.append([_text(ws, h, bold=True) for h in [_("Ngày"), _("Loại"), _("Tên cuộc họp"), _("Địa điểm")]])
    for meeting in review.meetings:
        ws.append(
            [
                _text(ws, timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y")),
                _text(ws, str(meeting.get_kind_display())),
                _text(ws, meeting.title),
                _text(ws, meeting.location),
            ]
        )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    wb.save(handle)
    handle.seek(0)
    return handle


def review_docx(review: Review, *, sector: str) -> bytes:
    """The annual (sơ kết) or final (tổng kết) review report as an editable Word document in
    the Decree 30/2020/NĐ-CP layout: issuing body and national motto, number and date,
    title, numbered sections (figures, the plan's activities and their progress, the
    meetings held, assessment and next steps left for the focal unit), recipients, signer."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    parent, unit, code, signer = FOCAL.get(sector, FOCAL[Organisation.Sector.CULTURE])
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
    center, right_align = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT

    def widths(table, sizes):
        table.autofit = False
        for column, size in zip(table.columns, sizes, strict=True):
            column.width = size
            for cell in column.cells:
                cell.width = size

    def para(text="", *, bold=False, italic=False, underline=False, size=None, align=None, cell=None, body=False):
        if cell is None:
            p = doc.add_paragraph()
            if body:
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

    def grid(heads, rows, sizes, aligns):
        table = doc.add_table(rows=1, cols=len(heads))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, heads, strict=True):
            para(text, bold=True, size=11, align=center, cell=cell)
        for texts in rows:
            for cell, text, align in zip(table.add_row().cells, texts, aligns, strict=True):
                para(text, size=11, cell=cell, align=align).paragraph_format.space_after = Pt(0)
        widths(table, sizes)

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
        _("Hòa Bình, ngày … tháng … năm %(y)s") % {"y": timezone.localdate().year},
        italic=True,
        size=13,
        align=center,
        cell=right,
    )
    para()
    para(_("BÁO CÁO"), bold=True, size=14, align=center)
    heading = _("Sơ kết") if review.kind == "year" else _("Tổng kết")
    para(
        _("%(h)s %(t)s thực hiện Chương trình phối hợp về thư viện và học tập suốt đời")
        % {"h": heading, "t": review.title},
        bold=True,
        size=14,
        align=center,
    )
    para()

    figures = review.figures
    para(_("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"), bold=True)
    if figures.is_empty:
        para(_("Chưa có kỳ báo cáo nào trong %(t)s.") % {"t": review.title}, italic=True, body=True)
    else:
        received = ", ".join(f"{p}: {figures.reporting.get(p.pk, 0)}" for p in figures.periods)
        para(
            _("Số liệu tổng hợp từ báo cáo 6 tháng của các đơn vị cấp huyện (số báo cáo đã nhận: %(r)s). ")
            % {"r": received}
            + _("Số lượt, số bản sách được cộng dồn các kỳ; số trường, số nhân viên lấy theo kỳ gần nhất."),
            body=True,
        )
        span_head = _("Cả năm") if review.kind == "year" else _("Cả giai đoạn")
        n = len(figures.periods)
        value_width = 8.6 / (n + 1)
        grid(
            [_("TT"), _("Chỉ tiêu"), _("ĐVT"), *[str(p) for p in figures.periods], span_head],
            [
                [str(i), row.indicator.label, row.indicator.unit, *[_num(v) for v in row.by_period], _num(row.total)]
                for i, row in enumerate(figures.rows, start=1)
            ],
            [Cm(1), Cm(5.2), Cm(1.7), *[Cm(value_width)] * (n + 1)],
            [center, None, center, *[right_align] * (n + 1)],
        )
        para()

    para(_("II. KẾT QUẢ THỰC HIỆN KẾ HOẠCH"), bold=True)
    if review.activities:
        grid(
            [_("TT"), _("Hoạt động"), _("Đơn vị chủ trì"), _("Chỉ tiêu"), _("Đạt"), _("Tiến độ")],
            [
                [
                    str(i),
                    (f"[{year}] " if len(review.years) > 1 else "") + a.title,
                    a.lead_unit.short_name or a.lead_unit.name,
                    _num(int(a.target_value)) if a.target_value is not None else "",
                    _num(int(a.latest_achieved)) if a.latest_achieved is not None else "",
                    f"{a.latest_percent}%" if a.latest_percent is not None else str(a.get_status_display()),
                ]
                for i, (year, a) in enumerate(review.activities, start=1)
            ],
            [Cm(1), Cm(6.2), Cm(3.2), Cm(1.8), Cm(1.8), Cm(2)],
            [center, None, None, right_align, right_align, center],
        )
        para()
    else:
        para(_("Chưa có kế hoạch được phê duyệt."), italic=True, body=True)

    para(_("III. CÁC CUỘC HỌP ĐÃ TỔ CHỨC"), bold=True)
    if review.meetings:
        for meeting in review.meetings:
            para(
                f"- {timezone.localtime(meeting.starts_at):%d/%m/%Y}: {meeting.title} ({meeting.location})",
                body=True,
            )
    else:
        para(_("Chưa tổ chức cuộc họp nào."), italic=True, body=True)

    para(_("IV. ĐÁNH GIÁ CHUNG"), bold=True)
    para(_("1. Ưu điểm: (đơn vị đầu mối bổ sung)."), body=True)
    para(_("2. Tồn tại, hạn chế và nguyên nhân: (đơn vị đầu mối bổ sung)."), body=True)
    para(_("V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"), bold=True)
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
        _("- Phòng VH&TT, Phòng GD&ĐT các huyện, thành phố;"),
        _("- Lưu: VT, %(code)s.") % {"code": code},
    ]:
        para(line, size=11, cell=left).paragraph_format.space_after = Pt(0)
    para(signer, bold=True, size=13, align=center, cell=right)
    para(_("(Ký, ghi rõ họ tên, đóng dấu)"), italic=True, size=12, align=center, cell=right)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
