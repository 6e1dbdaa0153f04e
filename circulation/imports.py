"""Reading item lists from uploads: spreadsheets (.xlsx, .csv) and MARC21 (ISO 2709, MARCXML).

Everything here is pure parsing: it returns rows (plain dicts, JSON-serialisable, kept in an
`ImportBatch` until confirmed) and the problems found, each tied to a row. Nothing is written.

MARC mapping: title 245 $a $b (trailing ISBD punctuation removed), authors 100 $a and 700 $a,
publisher 264 $b or 260 $b, year 264 $c / 260 $c (else 008/07-10), ISBN the first valid 020 $a,
call number 082 $a $b or 090 $a $b, barcode 952 $p (Koha) or 852 $p, copies the number of
952 fields (at least 1). MARC-8 records are converted to Unicode by pymarc (leader/09 blank).
Records whose text reads as Vietnamese only in TCVN3 (ABC) or VNI, the encodings of older
Vietnamese library systems, are converted from those (see legacy_text.py); text readable in
no known encoding is a problem of its record. UNIMARC records (title in 200) are mapped from
200 $a $e, 700/701 $a $b, 010 $a and 210 $c $d.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core.search import normalise
from core.spreadsheets import SpreadsheetError, neutralise_workbook, read_table

from .models import Item

MAX_RECORDS = 5000
FIELDS = ["title", "authors", "publisher", "year", "isbn", "call_number", "barcode", "copies", "condition"]
FIELD_LABELS = {
    "title": "Nhan đề",
    "authors": "Tác giả",
    "publisher": "Nhà xuất bản",
    "year": "Năm xuất bản",
    "isbn": "ISBN",
    "call_number": "Ký hiệu xếp giá",
    "barcode": "Mã vạch",
    "copies": "Số bản",
    "condition": "Tình trạng",
}
HEADER_ALIASES = {
    "title": {"nhan de", "ten sach", "tieu de", "title"},
    "authors": {"tac gia", "author", "authors"},
    "publisher": {"nha xuat ban", "nxb", "publisher"},
    "year": {"nam xuat ban", "nam xb", "nam", "year"},
    "isbn": {"isbn"},
    "call_number": {"ky hieu xep gia", "ky hieu", "call number", "call_number"},
    "barcode": {"ma vach", "ma dang ky ca biet", "barcode"},
    "copies": {"so ban", "so luong", "copies"},
    "condition": {"tinh trang", "condition"},
}
CONDITION_ALIASES = {normalise(str(label)): value for value, label in Item.Condition.choices} | {
    value: value for value in Item.Condition.values
}


@dataclass
class Parsed:
    rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # {"row": n, "field": key or "", "message": text}

    def problem(self, row: int, field_name: str, message: str) -> None:
        self.problems.append({"row": row, "field": field_name, "message": str(message)})


class ImportFileError(ValueError):
    """The file as a whole cannot be read; `str(error)` is the Vietnamese message."""


# --- Field checks shared by every source -----------------------------------------------------


def clean_isbn(raw) -> tuple[str, str | None]:
    """(ISBN-13 without hyphens, None) or ("", message). Blank gives ("", None).

    An EAN-13 that is not in the 978/979 Bookland range is refused with its own message."""
    from stdnum import ean, isbn
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

    if raw is None or str(raw).strip() == "":
        return "", None
    text = str(int(raw)) if isinstance(raw, int | float) else str(raw).strip()
    try:
        value = isbn.validate(text)
    except InvalidComponent:
        if ean.is_valid(text):
            return "", _("“%(v)s” là mã vạch EAN của hàng hóa, không phải ISBN.") % {"v": text}
        return "", _("“%(v)s” không phải là ISBN hợp lệ.") % {"v": text}
    except InvalidChecksum:
        return "", _("ISBN “%(v)s” sai số kiểm tra (chữ số cuối).") % {"v": text}
    except ValidationError:
        return "", _("“%(v)s” không phải là ISBN hợp lệ.") % {"v": text}
    return isbn.to_isbn13(value), None


def _nfc(text) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split()) if text is not None else ""


def _year(raw, row: int, parsed: Parsed) -> int | None:
    if raw in (None, ""):
        return None
    try:
        year = int(float(raw)) if isinstance(raw, int | float) else int(str(raw).strip())
    except ValueError:
        parsed.problem(row, "year", _("Năm xuất bản “%(v)s” không phải là số.") % {"v": raw})
        return None
    if not 1800 <= year <= timezone.localdate().year + 1:
        parsed.problem(row, "year", _("Năm xuất bản %(v)s không hợp lý.") % {"v": year})
        return None
    return year


def _copies(raw, row: int, parsed: Parsed) -> int:
    if raw in (None, ""):
        return 1
    try:
        copies = int(float(raw)) if isinstance(raw, int | float) else int(str(raw).strip())
    except ValueError:
        parsed.problem(row, "copies", _("Số bản “%(v)s” không phải là số.") % {"v": raw})
        return 1
    if not 1 <= copies <= 999:
        parsed.problem(row, "copies", _("Số bản phải từ 1 đến 999."))
        return 1
    return copies


def check_rows(parsed: Parsed, *, library_id: int) -> None:
    """Checks across rows and against the catalogue: barcodes unique in the file and in the
    owning library."""
    seen: dict[str, int] = {}
    barcodes = [r["barcode"] for r in parsed.rows if r["barcode"]]
    taken = set(Item.objects.filter(library_id=library_id, barcode__in=barcodes).values_list("barcode", flat=True))
    for row in parsed.rows:
        code = row["barcode"]
        if not code:
            continue
        if code in seen:
            parsed.problem(
                row["row"], "barcode", _("Mã vạch %(c)s trùng với dòng %(r)s.") % {"c": code, "r": seen[code]}
            )
        else:
            seen[code] = row["row"]
        if code in taken:
            parsed.problem(row["row"], "barcode", _("Mã vạch %(c)s đã có trong thư viện.") % {"c": code})


# --- Spreadsheets ----------------------------------------------------------------------------


def parse_spreadsheet(uploaded, *, filename: str) -> Parsed:
    try:
        table = read_table(uploaded, filename=filename)
    except SpreadsheetError as exc:
        raise ImportFileError(str(exc)) from exc
    table = [r for r in table if any(v not in (None, "") for v in r)]
    if len(table) < 2:
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào."))
    header = [normalise(str(h)) if h is not None else "" for h in table[0]]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        for key, aliases in HEADER_ALIASES.items():
            if title in aliases and key not in columns:
                columns[key] = index
    if "title" not in columns:
        raise ImportFileError(
            _("Thiếu cột “Nhan đề”. Hãy dùng tệp mẫu: dòng đầu là tên các cột (%(cols)s).")
            % {"cols": ", ".join(FIELD_LABELS.values())}
        )
    parsed = Parsed()
    for number, values in enumerate(table[1:], start=2):

        def cell(key, values=values):
            index = columns.get(key)
            return values[index] if index is not None and index < len(values) else None

        row = {"row": number}
        row["title"] = _nfc(cell("title"))[:500]
        if not row["title"]:
            parsed.problem(number, "title", _("Thiếu nhan đề."))
        row["authors"] = _nfc(cell("authors"))[:500]
        row["publisher"] = _nfc(cell("publisher"))[:255]
        row["year"] = _year(cell("year"), number, parsed)
        row["isbn"], message = clean_isbn(cell("isbn"))
        if message:
            parsed.problem(number, "isbn", message)
        row["call_number"] = _nfc(cell("call_number"))[:80]
        barcode = cell("barcode")
        row["barcode"] = (str(int(barcode)) if isinstance(barcode, float) else _nfc(barcode))[:40]
        row["copies"] = _copies(cell("copies"), number, parsed)
        condition = cell("condition")
        row["condition"] = CONDITION_ALIASES.get(normalise(str(condition)), "") if condition else Item.Condition.GOOD
        if not row["condition"]:
            parsed.problem(number, "condition", _("Tình trạng “%(v)s” không hợp lệ.") % {"v": condition})
            row["condition"] = Item.Condition.GOOD
        parsed.rows.append(row)
    return parsed


def template_workbook() -> bytes:
    """The .xlsx template for item lists, with one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục sách"
    sheet.append(list(FIELD_LABELS.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "Dế Mèn phiêu lưu ký",
            "Tô Hoài",
            "NXB Kim Đồng",
            2020,
            "9786042000000",
            "895.9223 T450H",
            "TVT-000001",
            2,
            "Tốt",
        ]
    )
    sheet["E2"].data_type = "s"
    for column, width in zip("ABCDEFGHI", (40, 25, 25, 12, 16, 18, 16, 8, 14), strict=True):
        sheet.column_dimensions[column].width = width
    neutralise_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- MARC21 ----------------------------------------------------------------------------------

ISBD_TRAILING = " /:;,="


def marc_title(record) -> str:
    """The title as pymarc reads it (245 $a $b), NFC, single spaces, trailing ISBD punctuation off."""
    return _nfc(record.title or "").rstrip(ISBD_TRAILING).strip()


def _subfield(record, tags: tuple[str, ...], code: str) -> str:
    for tag in tags:
        for fld in record.get_fields(tag):
            values = fld.get_subfields(code)
            if values:
                return _nfc(values[0])
    return ""


def _marc_row(record, number: int, parsed: Parsed) -> dict:
    if is_unimarc(record):
        return _unimarc_row(record, number, parsed)
    row = {"row": number}
    row["title"] = marc_title(record)[:500]
    if not row["title"]:
        parsed.problem(number, "title", _("Bản ghi không có nhan đề (trường 245)."))
    authors = []
    for fld in record.get_fields("100", "110", "700", "710"):
        for name in fld.get_subfields("a"):
            name = _nfc(name).rstrip(" ,.")
            if name and name not in authors:
                authors.append(name)
    row["authors"] = "; ".join(authors)[:500]
    publisher = ""
    for fld in record.get_fields("264"):
        if fld.indicator2 in ("1", " ") and fld.get_subfields("b"):
            publisher = _nfc(fld.get_subfields("b")[0])
            break
    publisher = publisher or _subfield(record, ("260",), "b")
    row["publisher"] = publisher.rstrip(" ,:;")[:255]
    date_text = _subfield(record, ("264", "260"), "c")
    match = re.search(r"\d{4}", date_text)
    control = record.get_fields("008")
    if not match and control:
        match = re.match(r"\d{4}", (control[0].data or "")[7:11])
    row["year"] = _year(match.group(0), number, parsed) if match else None
    row["isbn"] = ""
    candidates = [v for fld in record.get_fields("020") for v in fld.get_subfields("a")]
    messages = []
    for candidate in candidates:
        token = candidate.split()[0] if candidate.split() else ""
        value, message = clean_isbn(token)
        if value:
            row["isbn"] = value
            break
        messages.append(message)
    if candidates and not row["isbn"]:
        parsed.problem(number, "isbn", messages[0])
    call = ""
    for fld in record.get_fields("082", "090"):
        if fld.get_subfields("a"):
            call = " ".join([fld.get_subfields("a")[0], *fld.get_subfields("b")[:1]])
            break
    row["call_number"] = _nfc(call)[:80]
    row["barcode"] = _subfield(record, ("952", "852"), "p")[:40]
    row["copies"] = max(1, min(999, len(record.get_fields("952"))))
    row["condition"] = Item.Condition.GOOD
    return row


def _broken_reason(exc) -> str:
    name = exc.__class__.__name__ if exc is not None else ""
    reasons = {
        "TruncatedRecord": _("bản ghi bị cắt cụt, ngắn hơn độ dài khai báo"),
        "EndOfRecordNotFound": _("thiếu ký tự kết thúc bản ghi"),
        "RecordLengthInvalid": _("độ dài bản ghi không hợp lệ"),
        "RecordLeaderInvalid": _("đầu biểu (leader) không hợp lệ"),
        "BaseAddressInvalid": _("địa chỉ bắt đầu dữ liệu không hợp lệ"),
        "BaseAddressNotFound": _("không tìm thấy địa chỉ bắt đầu dữ liệu"),
        "RecordDirectoryInvalid": _("danh mục trường (directory) không hợp lệ"),
        "NoFieldsFound": _("bản ghi không có trường nào"),
        "UnicodeDecodeError": _("sai mã ký tự (không phải UTF-8 hay MARC-8 hợp lệ)"),
    }
    return str(reasons.get(name, _("cấu trúc ISO 2709 không hợp lệ (%(e)s)") % {"e": name or "?"}))


def _parse_marcxml(data: bytes) -> list:
    """MARCXML records through defusedxml's SAX parser with every DTD forbidden: the parser
    refuses a DOCTYPE, entity or external reference whatever encoding hides its bytes
    (UTF-16, UTF-32, a BOM...), so no byte search is needed and none can be fooled."""
    from xml.sax import SAXException
    from xml.sax.handler import feature_external_ges, feature_external_pes, feature_namespaces

    from defusedxml import DefusedXmlException
    from defusedxml.sax import make_parser
    from pymarc.marcxml import XmlHandler

    handler = XmlHandler(strict=False)
    parser = make_parser()
    parser.forbid_dtd = True
    parser.forbid_entities = True
    parser.forbid_external = True
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    try:
        parser.parse(io.BytesIO(data))
    except DefusedXmlException as exc:
        raise ImportFileError(_("Tệp MARCXML có khai báo DOCTYPE/ENTITY nên bị từ chối vì lý do an toàn.")) from exc
    except (SAXException, ValueError, LookupError) as exc:  # malformed XML, unknown encoding
        raise ImportFileError(_("Tệp MARCXML không đọc được: %(e)s") % {"e": exc}) from exc
    return handler.records


def is_marcxml(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(".xml") or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def parse_marc(data: bytes, *, filename: str, encoding: str = "auto") -> Parsed:
    """Rows of an ISO 2709 or MARCXML file. A broken record is a problem of its row.

    `encoding` is how ISO 2709 text is read: "auto" (as declared, unless the record reads as
    Vietnamese only in TCVN3 or VNI), "tcvn3" or "vni" (the librarian's choice in the preview),
    or "declared" (MARC-8 / UTF-8 as the leader says, no conversion)."""
    import pymarc

    if not data:
        raise ImportFileError(_("Tệp rỗng."))
    parsed = Parsed()
    if is_marcxml(data, filename):
        records = _parse_marcxml(data)
        for number, record in enumerate(records[:MAX_RECORDS], start=1):
            parsed.rows.append(_marc_row(record, number, parsed))
    else:
        if not data[:5].isdigit():
            raise ImportFileError(_("Tệp không phải là MARC21 (ISO 2709): 5 ký tự đầu phải là độ dài bản ghi."))
        # Legacy files (TCVN3, VNI) are read as MARC-8 first: pymarc would print every byte it
        # cannot map on stderr; the preview reports the encoding instead (_legacy_reading).
        reader = pymarc.MARCReader(
            io.BytesIO(data), to_unicode=True, force_utf8=False, utf8_handling="strict", hide_utf8_warnings=True
        )
        chunks = _raw_chunks(data)
        number = 0
        for record in reader:
            number += 1
            if number > MAX_RECORDS:
                raise ImportFileError(_("Tệp có quá nhiều bản ghi (tối đa %(n)s).") % {"n": MAX_RECORDS})
            record, note = _legacy_reading(chunks, number, record, encoding, parsed)
            if record is None:
                exc = reader.current_exception
                parsed.rows.append(
                    {
                        "row": number,
                        "title": "",
                        "authors": "",
                        "publisher": "",
                        "year": None,
                        "isbn": "",
                        "call_number": "",
                        "barcode": "",
                        "copies": 1,
                        "condition": Item.Condition.GOOD,
                    }
                )
                parsed.problem(
                    number,
                    "",
                    _("Bản ghi số %(n)s bị hỏng, không đọc được: %(e)s.") % {"n": number, "e": _broken_reason(exc)},
                )
                continue
            try:
                parsed.rows.append(_marc_row(record, number, parsed))
                if note:
                    parsed.rows[-1]["notes"] = [note]
            except Exception as exc:  # a record pymarc read but that has impossible content
                parsed.problem(
                    number,
                    "",
                    _("Bản ghi số %(n)s bị hỏng, không đọc được: %(e)s.") % {"n": number, "e": _broken_reason(exc)},
                )
    if not parsed.rows:
        raise ImportFileError(_("Tệp không có bản ghi MARC nào."))
    return parsed


# --- Legacy Vietnamese encodings and UNIMARC ---------------------------------------------------

ENCODING_CHOICES = ("auto", "declared", "tcvn3", "vni")
ENCODING_LABELS = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}


def _raw_chunks(data: bytes) -> list[bytes]:
    """The file's records as bytes, cut by the lengths their leaders declare (as pymarc
    does); stops at the first length that cannot be read."""
    chunks, offset = [], 0
    while offset < len(data):
        head = data[offset : offset + 5]
        if not head.isdigit() or int(head) < 24:
            break
        length = int(head)
        chunks.append(data[offset : offset + length])
        offset += length
    return chunks


def _latin1(value) -> str:
    """pymarc keeps undecoded values as bytes: one character per byte, nothing lost."""
    return value.decode("iso8859-1") if isinstance(value, bytes) else (value or "")


def _texts(record) -> list[str]:
    texts = []
    for fld in record.get_fields():
        if fld.is_control_field():
            texts.append(_latin1(fld.data))
        else:
            texts.extend(_latin1(sf.value) for sf in fld.subfields)
    return texts


def _converted(record, encoding: str):
    from pymarc import Subfield

    from .legacy_text import decode

    for fld in record.get_fields():
        if fld.is_control_field():
            fld.data = decode(_latin1(fld.data), encoding)
        else:
            fld.subfields = [Subfield(_latin1(sf.code), decode(_latin1(sf.value), encoding)) for sf in fld.subfields]
    return record


def _unreadable(text: str) -> bool:
    """Characters no catalogue title holds: replacement marks, control codes, private-use or
    unassigned code points, and the symbols a wrong 8-bit reading produces."""
    return any(
        ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "So", "Sk", "Sm", "Sc")
        for ch in text
        if not ch.isascii()
    )


def _legacy_reading(chunks, number: int, record, encoding: str, parsed: Parsed):
    """(record to map, note for the preview): the record re-read from TCVN3 or VNI when that is
    chosen or recognised; a problem when its text cannot be read in any known encoding."""
    import pymarc

    from .legacy_text import THRESHOLD, guess, vietnamese_ratio

    if encoding == "declared" or number > len(chunks):
        return record, None
    chunk = chunks[number - 1]
    if chunk.isascii():
        return record, None
    try:
        raw = pymarc.Record(chunk, to_unicode=False, file_encoding="iso8859-1")
    except Exception:  # broken structure: the reader's own message stands
        return record, None
    raw_text = " ".join(_texts(raw))
    if encoding in ENCODING_LABELS:
        converted = _converted(raw, encoding)
        ratio = vietnamese_ratio(" ".join(_texts(converted)))
        if ratio is not None and ratio < THRESHOLD:
            parsed.problem(
                number,
                "",
                _("Bản ghi số %(n)s vẫn không đọc được khi chuyển từ bảng mã %(e)s.")
                % {"n": number, "e": ENCODING_LABELS[encoding]},
            )
        return converted, _("Đã chuyển từ bảng mã %(e)s sang Unicode theo lựa chọn.") % {"e": ENCODING_LABELS[encoding]}
    declared = " ".join(_texts(record)) if record is not None else raw_text
    found, _ratio = guess(raw_text, declared=declared)
    if found:
        return _converted(raw, found), _("Nhận ra bảng mã %(e)s: đã chuyển sang Unicode.") % {
            "e": ENCODING_LABELS[found]
        }
    if record is not None and _unreadable(declared):
        parsed.problem(
            number,
            "",
            _(
                "Bản ghi số %(n)s có ký tự không đọc được theo bảng mã khai báo (%(d)s) và không phải TCVN3 "
                "hay VNI. Kiểm tra tệp gốc, hoặc chọn bảng mã ở trên rồi đọc lại."
            )
            % {"n": number, "d": "UTF-8" if chunk[9:10] == b"a" else "MARC-8"},
        )
    return record, None


def is_unimarc(record) -> bool:
    """UNIMARC puts the title in 200 (MARC21: 245) and the ISBN in 010 (MARC21: 020)."""
    return not record.get_fields("245") and bool(record.get_fields("200"))


def _unimarc_row(record, number: int, parsed: Parsed) -> dict:
    """UNIMARC mapping: title 200 $a ($e), authors 700/701/702 $a $b, ISBN 010 $a, publisher
    210 $c, year 210 $d (else 100/09-12), call number 676 $a or 686 $a, barcode 995 $f."""
    row = {"row": number}
    title = _subfield(record, ("200",), "a")
    other = _subfield(record, ("200",), "e")
    row["title"] = (f"{title}: {other}" if title and other else title).rstrip(ISBD_TRAILING).strip()[:500]
    if not row["title"]:
        parsed.problem(number, "title", _("Bản ghi không có nhan đề (trường 200 của UNIMARC)."))
    authors = []
    for fld in record.get_fields("700", "701", "702", "710", "711"):
        surname = " ".join(_nfc(v) for v in fld.get_subfields("a"))
        given = " ".join(_nfc(v) for v in fld.get_subfields("b"))
        name = f"{surname} {given}".strip().rstrip(" ,.")
        if name and name not in authors:
            authors.append(name)
    row["authors"] = "; ".join(authors)[:500]
    row["publisher"] = _subfield(record, ("210", "214"), "c").rstrip(" ,:;")[:255]
    match = re.search(r"\d{4}", _subfield(record, ("210", "214"), "d"))
    general = record.get_fields("100")
    if not match and general:
        sub = general[0].get_subfields("a")
        match = re.match(r"\d{4}", (sub[0] if sub else "")[9:13])
    row["year"] = _year(match.group(0), number, parsed) if match else None
    row["isbn"] = ""
    candidates = [v for fld in record.get_fields("010") for v in fld.get_subfields("a")]
    messages = []
    for candidate in candidates:
        value, message = clean_isbn(candidate.split()[0] if candidate.split() else "")
        if value:
            row["isbn"] = value
            break
        messages.append(message)
    if candidates and not row["isbn"]:
        parsed.problem(number, "isbn", messages[0])
    row["call_number"] = (_subfield(record, ("676",), "a") or _subfield(record, ("686",), "a"))[:80]
    row["barcode"] = _subfield(record, ("995",), "f")[:40]
    row["copies"] = max(1, min(999, len(record.get_fields("995"))))
    row["condition"] = Item.Condition.GOOD
    return row
