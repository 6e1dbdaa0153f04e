"""Reading uploaded spreadsheets safely, shared by every import in the portal.

`read_table(uploaded)` returns the rows of the first sheet of an `.xlsx` or `.csv` file as
lists of cell values, or raises `SpreadsheetError` with a Vietnamese message. Hostile files are
refused before openpyxl parses them: not a zip, a zip bomb (declared uncompressed size or
ratio), macros (vbaProject), external links, a sheet too large.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ROWS = 20_000
MAX_COLUMNS = 200


class SpreadsheetError(ValueError):
    """The file cannot be read; `str(error)` is the message for the user."""


@dataclass
class CellError:
    """A problem with one cell (or one row when `column` is empty)."""

    row: int
    column: str
    message: str

    @property
    def ref(self) -> str:
        return f"{self.column}{self.row}" if self.column else _("Dòng %(row)s") % {"row": self.row}


def check_xlsx_container(data: bytes) -> None:
    """Refuse a file that is not a plain workbook before openpyxl touches it."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_("Tệp không phải là tệp Excel (.xlsx) hợp lệ."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename.lower() for info in infos}
            total = sum(info.file_size for info in infos)
            compressed = sum(info.compress_size for info in infos) or 1
            if total > MAX_UNCOMPRESSED or total / compressed > MAX_RATIO:
                raise SpreadsheetError(_("Tệp Excel có dung lượng giải nén bất thường nên bị từ chối."))
            if any("vbaproject" in name for name in names):
                raise SpreadsheetError(_("Tệp có chứa macro (VBA). Vui lòng lưu lại dưới dạng .xlsx không có macro."))
            if "xl/workbook.xml" not in names:
                raise SpreadsheetError(_("Tệp không phải là bảng tính Excel (.xlsx)."))
            bad = archive.testzip()
            if bad is not None:
                raise SpreadsheetError(_("Tệp Excel bị hỏng."))
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("Tệp Excel bị hỏng.")) from exc


def load_workbook_safely(data: bytes, *, read_only: bool = True):
    """An openpyxl workbook of `data` (values, not formulas), or SpreadsheetError."""
    from openpyxl import load_workbook

    check_xlsx_container(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=read_only, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise SpreadsheetError(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng.")) from exc


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value if value else None
    return value


def read_table(uploaded, *, filename: str | None = None) -> list[list]:
    """Rows (lists of values, header included) of an uploaded `.xlsx` or `.csv`."""
    name = (filename or getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read() if hasattr(uploaded, "read") else bytes(uploaded)
    if not data:
        raise SpreadsheetError(_("Tệp rỗng."))
    if name.endswith(".csv"):
        return _read_csv(data)
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    raise SpreadsheetError(_("Chỉ nhận tệp .xlsx hoặc .csv."))


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [[_clean(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(_("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS})
    return rows


def _read_xlsx(data: bytes) -> list[list]:
    workbook = load_workbook_safely(data)
    try:
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > MAX_ROWS or (sheet.max_column or 0) > MAX_COLUMNS:
            raise SpreadsheetError(_("Trang tính quá lớn (tối đa %(n)s dòng).") % {"n": MAX_ROWS})
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if len(rows) >= MAX_ROWS:
                raise SpreadsheetError(_("Trang tính quá lớn (tối đa %(n)s dòng).") % {"n": MAX_ROWS})
            values = [_clean(v) for v in row[:MAX_COLUMNS]]
            rows.append(values)
        return rows
    finally:
        workbook.close()


# What makes Excel or LibreOffice read a cell as a formula (or a DDE command), including the
# full-width forms an input method may produce.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    """Text for an exported cell that a spreadsheet will never run as a formula: the one
    helper every cell the portal writes goes through (exports, templates, hand-over lists)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def unneutralise(value):
    """The text a person typed, from a cell `neutralise` wrote (for templates read back)."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def neutralise_workbook(workbook) -> None:
    """Neutralise every text cell of every sheet of a (not write-only) workbook, just
    before it is saved, so no cell a template or document writes can be missed."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in FORMULA_STARTS:
                    data_type = cell.data_type
                    cell.value = neutralise(cell.value)
                    cell.data_type = "s" if data_type == "f" else data_type
