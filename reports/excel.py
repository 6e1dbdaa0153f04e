"""The Excel round trip of a report: the template an organisation downloads, and reading
it back.

Layout of the first sheet ("Báo cáo"): the organisation code in C3 and the period key in
C4 (both locked), a header row, then one row per indicator with its code in column A,
label in B, unit in C and the value in D — the only unlocked cells. Rows are found by the
code in column A, so a row moved or inserted by a spreadsheet program is still read right.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import CellError, SpreadsheetError, load_workbook_safely, neutralise_workbook, unneutralise

from .presenters import field_messages
from .services import indicators_for, report_import

SHEET = "Báo cáo"
ORG_CELL, PERIOD_CELL = "C3", "C4"
FIRST_ROW = 7
VALUE_COL = "D"
MAX_ROWS = 500
MAX_COLS = 30
MAX_UPLOAD = 5 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_workbook(report) -> bytes:
    """The report's template, with the values already saved (so it can be completed offline)."""
    period, organisation = report.period, report.organisation
    values = {v.indicator_id: v for v in report.values.all()}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold = Font(name="Times New Roman", bold=True)
    normal = Font(name="Times New Roman")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="FFF8DC")
    ws["A1"] = _("BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP – %(period)s") % {"period": str(period).upper()}
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=13)
    ws["A2"] = organisation.name
    ws["A2"].font = bold
    ws["B3"], ws[ORG_CELL] = _("Mã đơn vị"), organisation.code
    ws["B4"], ws[PERIOD_CELL] = _("Kỳ báo cáo"), period.key
    ws["B5"] = _("Số liệu từ %(start)s đến %(end)s; hạn nộp %(due)s") % {
        "start": period.data_start.strftime("%d/%m/%Y"),
        "end": period.data_end.strftime("%d/%m/%Y"),
        "due": period.due_date.strftime("%d/%m/%Y"),
    }
    for col, title in zip(
        "ABCDE", [_("Mã"), _("Chỉ tiêu"), _("Đơn vị tính"), _("Giá trị"), _("Hướng dẫn")], strict=True
    ):
        cell = ws[f"{col}{FIRST_ROW - 1}"]
        cell.value, cell.font, cell.border = title, bold, box
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    numbers = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="1000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Giá trị không hợp lệ"),
        error=_("Nhập một số nguyên không âm."),
    )
    ws.add_data_validation(numbers)
    row = FIRST_ROW
    section = None
    for indicator in indicators_for(period, organisation):
        if indicator.section_id != section:
            section = indicator.section_id
            ws[f"A{row}"] = indicator.section.title
            ws[f"A{row}"].font = bold
            ws.merge_cells(f"A{row}:E{row}")
            row += 1
        value = values.get(indicator.pk)
        ws[f"A{row}"] = indicator.code
        ws[f"B{row}"] = indicator.label
        ws[f"C{row}"] = indicator.unit
        ws[f"E{row}"] = indicator.help_text
        cell = ws[f"{VALUE_COL}{row}"]
        if indicator.is_narrative:
            cell.value = value.text if value and value.text else None
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = 60
        else:
            cell.value = value.number if value else None
            cell.number_format = "#,##0"
            numbers.add(cell)
        cell.protection = Protection(locked=False)
        cell.fill = fill
        for col in "ABCDE":
            ws[f"{col}{row}"].border = box
            if col != VALUE_COL:
                ws[f"{col}{row}"].font = normal
                ws[f"{col}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["E"].width = 40
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.freeze_panes = f"A{FIRST_ROW}"

    guide = wb.create_sheet(_("Hướng dẫn"))
    lines = [
        _("HƯỚNG DẪN ĐIỀN MẪU BÁO CÁO 6 THÁNG"),
        "",
        _("1. Chỉ nhập vào các ô màu vàng ở cột D của trang “Báo cáo”; các ô khác đã được khóa."),
        _("2. Chỉ tiêu định lượng: nhập số nguyên không âm (0 cũng là một giá trị); không dùng công thức."),
        _("3. Nội dung thuyết minh (NR1–NR4): nhập văn bản; mục NR1 là bắt buộc."),
        _("4. Không sửa mã đơn vị (ô C3), kỳ báo cáo (ô C4) và mã chỉ tiêu ở cột A."),
        _("5. Lưu tệp dạng .xlsx (Excel hoặc LibreOffice đều được), không lưu dạng có macro (.xlsm)."),
        _(
            "6. Tải tệp lên tại trang báo cáo trên cổng. Nếu có lỗi, cổng liệt kê từng ô kèm lý do và không thay đổi dữ liệu."
        ),
        _("7. Sau khi tải lên thành công, kiểm tra lại trên cổng rồi bấm “Nộp báo cáo”."),
        "",
        _("Mẫu tạo lúc %(time)s cho %(org)s, %(period)s.")
        % {
            "time": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
            "org": organisation.name,
            "period": str(period).lower(),
        },
    ]
    for i, line in enumerate(lines, start=1):
        guide[f"A{i}"] = line
        guide[f"A{i}"].font = bold if i == 1 else normal
    guide.column_dimensions["A"].width = 110
    guide.protection.sheet = True
    neutralise_workbook(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_template(report, data: bytes, *, filename: str = "") -> tuple[dict, list[CellError], dict]:
    """({code: raw value}, problems, {code: row}) from an uploaded template of `report`.

    Raises SpreadsheetError for a file that cannot be read at all (not .xlsx, not a zip,
    a zip bomb, macros, a sheet too large). Problems with single cells (formulas, a wrong
    organisation or period, unknown codes) come back as CellError with a cell reference;
    the values themselves are checked by the service."""
    name = (filename or "").lower()
    if name and not name.endswith(".xlsx"):
        if name.endswith((".xlsm", ".xltm", ".xlsb")):
            raise SpreadsheetError(_("Tệp có chứa macro (.xlsm). Vui lòng lưu lại dưới dạng .xlsx không có macro."))
        raise SpreadsheetError(_("Chỉ nhận tệp mẫu báo cáo dạng .xlsx."))
    if not data:
        raise SpreadsheetError(_("Tệp rỗng."))
    if len(data) > MAX_UPLOAD:
        raise SpreadsheetError(_("Tệp quá lớn (tối đa 5 MB)."))
    workbook = load_workbook_safely(data)
    try:
        if SHEET not in workbook.sheetnames:
            raise SpreadsheetError(
                _("Không thấy trang tính “%(sheet)s”: đây không phải mẫu báo cáo tải từ cổng.") % {"sheet": SHEET}
            )
        ws = workbook[SHEET]
        if (ws.max_row or 0) > MAX_ROWS or (ws.max_column or 0) > MAX_COLS:
            raise SpreadsheetError(_("Trang tính quá lớn so với mẫu báo cáo (tối đa %(n)s dòng).") % {"n": MAX_ROWS})
        rows = []
        for row in ws.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=5, values_only=True):
            rows.append(list(row) + [None] * (5 - len(row)))
    finally:
        workbook.close()

    def cell(ref: str):
        col, row = ref[0], int(ref[1:])
        return rows[row - 1]["ABCDE".index(col)] if row <= len(rows) else None

    problems: list[CellError] = []
    org_code = str(unneutralise(cell(ORG_CELL)) or "").strip()
    if org_code != report.organisation.code:
        problems.append(
            CellError(
                3,
                "C",
                _("Tệp là mẫu của đơn vị “%(found)s”, không phải của %(org)s (%(code)s).")
                % {"found": org_code or "—", "org": report.organisation.name, "code": report.organisation.code},
            )
        )
    period_key = str(unneutralise(cell(PERIOD_CELL)) or "").strip()
    if period_key != report.period.key:
        problems.append(
            CellError(
                4,
                "C",
                _("Tệp là mẫu của kỳ “%(found)s”, không phải kỳ %(key)s (%(period)s).")
                % {"found": period_key or "—", "key": report.period.key, "period": str(report.period).lower()},
            )
        )
    if problems:
        return {}, problems, {}
    codes = {i.code for i in indicators_for(report.period, report.organisation)}
    values: dict = {}
    positions: dict = {}
    for index, row in enumerate(rows[FIRST_ROW - 1 :], start=FIRST_ROW):
        for col, raw in zip("ABCDE", row, strict=False):
            if isinstance(raw, str) and raw.startswith("="):
                problems.append(
                    CellError(index, col, _("Ô chứa công thức; mẫu báo cáo chỉ nhận giá trị nhập trực tiếp."))
                )
        code = row[0]
        if not isinstance(code, str) or not code.strip():
            continue
        code = code.strip().upper()
        if code not in codes:
            if len(code) <= 5 and code[:2].isalpha() and code[2:].isdigit():
                problems.append(
                    CellError(index, "A", _("Mã chỉ tiêu %(code)s không có trong kỳ này.") % {"code": code})
                )
            continue
        if code in positions:
            problems.append(CellError(index, "A", _("Mã chỉ tiêu %(code)s xuất hiện hai lần.") % {"code": code}))
            continue
        positions[code] = index
        values[code] = unneutralise(row[3])
    return values, problems, positions


def cell_errors_from(errors: dict, positions: dict) -> list[CellError]:
    """Turn a service's {code: message} into cell references of the uploaded file."""
    out = []
    for code, messages in errors.items():
        message = messages[0] if isinstance(messages, list) else messages
        row = positions.get(code)
        out.append(CellError(row or 0, VALUE_COL if row else "", f"{code}: {message}"))
    return sorted(out, key=lambda e: e.row)


@dataclass
class Upload:
    """An uploaded template: how many values changed, or the cells at fault (nothing saved)."""

    changed: int = 0
    problems: list[CellError] = field(default_factory=list)


def import_upload(*, report, uploaded, by) -> Upload:
    """Read an uploaded template of `report` and save its values through `report_import`.

    Problems with cells (including the service's refusals of single values) come back in
    `problems`, with nothing saved. Raises SpreadsheetError for a file that cannot be read,
    and ValidationError when the service refuses the report as a whole (not editable)."""
    if uploaded.size > MAX_UPLOAD:
        raise SpreadsheetError(_("Tệp quá lớn (tối đa 5 MB)."))
    values, problems, positions = read_template(report, uploaded.read(), filename=uploaded.name)
    if problems:
        return Upload(problems=problems)
    try:
        result = report_import(report=report, values=values, by=by)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        return Upload(problems=cell_errors_from(field_messages(error), positions))
    return Upload(changed=result.changed)
