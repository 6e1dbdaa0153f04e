import csv
import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pymarc
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from circulation import services
from circulation.imports import clean_isbn, template_workbook
from circulation.models import ImportBatch, Item

from .factories import ItemFactory, isbn13

DATA = Path(__file__).parent / "data"
MARC_FILES = sorted(p for p in DATA.iterdir() if p.suffix in {".dat", ".mrc", ".xml"})
BROKEN = {"bad_records.mrc"}


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def pymarc_titles(path: Path) -> list[str]:
    """What pymarc itself reads, with the trailing ISBD punctuation (" /", " :") removed."""
    if path.suffix == ".xml":
        records = pymarc.parse_xml_to_array(str(path))
    else:
        with path.open("rb") as handle:
            records = list(pymarc.MARCReader(handle, to_unicode=True))
    return [" ".join(unicodedata.normalize("NFC", r.title).split()).rstrip(" /:;,=").strip() for r in records]


def test_every_marc_file_is_in_the_test_data():
    assert {p.name for p in MARC_FILES} == {
        "bad_records.mrc",
        "batch.xml",
        "diacritic.dat",
        "marc.dat",
        "marc8.dat",
        "multi_isbn.dat",
        "utf8_with_leader_flag.dat",
    }


@pytest.mark.parametrize("path", MARC_FILES, ids=lambda p: p.name)
def test_every_marc_file_imports_or_is_refused_clearly(path, collection, thuvien):
    before = Item.objects.count()
    batch = services.import_preview(collection=collection, uploaded=upload(path), filename=path.name, by=thuvien)
    if path.name in BROKEN:
        assert batch.problems
        assert all("bị hỏng" in p["message"] for p in batch.problems)
        with pytest.raises(ValidationError) as exc:
            services.import_confirm(batch=batch, by=thuvien)
        assert "không nhập dòng nào" in " ".join(exc.value.messages)
        assert Item.objects.count() == before
        return
    assert batch.problems == []
    count = services.import_confirm(batch=batch, by=thuvien)
    imported = list(Item.objects.filter(collection=collection).exclude(pk__lte=0).order_by("pk"))[-count:]
    assert [i.title for i in imported] == pymarc_titles(path)


def test_marc8_records_decode_diacritics(collection, thuvien):
    for name in ("marc8.dat", "diacritic.dat"):
        batch = services.import_preview(collection=collection, uploaded=upload(DATA / name), filename=name, by=thuvien)
        services.import_confirm(batch=batch, by=thuvien)
    escape = Item.objects.get(title="Escape from loneliness")
    assert escape.authors == "Tournier, Paul"
    assert escape.publisher == "Westminster Press" and escape.year == 1962
    assert escape.call_number == "BF575.L7 T68 1962"
    amateur = Item.objects.get(title__startswith="Amateur media")
    assert amateur.isbn == "9780415782654"
    assert amateur.call_number == "302.23/1"
    # The MARC-8 record carries "à" in 240/500: pymarc decodes it, nothing is mojibake.
    record = next(iter(pymarc.MARCReader((DATA / "marc8.dat").open("rb"), to_unicode=True)))
    assert "à la communauté" in record["240"]["a"]


def test_marc_mapping_of_the_python_books(collection, thuvien):
    batch = services.import_preview(
        collection=collection, uploaded=upload(DATA / "marc.dat"), filename="marc.dat", by=thuvien
    )
    first = batch.rows[0]
    assert first["title"] == "The pragmatic programmer : from journeyman to master"
    assert first["authors"].startswith("Hunt, Andrew")
    assert first["isbn"] == "9780201616224"  # ISBN-10 020161622X stored as ISBN-13
    assert len(batch.rows) == 20


def test_multi_isbn_takes_the_first_valid(collection, thuvien):
    batch = services.import_preview(
        collection=collection, uploaded=upload(DATA / "multi_isbn.dat"), filename="multi_isbn.dat", by=thuvien
    )
    assert batch.rows[0]["isbn"] == "9780914378280"


def test_barcode_from_the_item_field(collection, thuvien):
    record = pymarc.Record()
    record.add_field(
        pymarc.Field(tag="245", indicators=["1", "0"], subfields=[pymarc.Subfield("a", "Dế Mèn phiêu lưu ký /")])
    )
    record.add_field(pymarc.Field(tag="952", indicators=[" ", " "], subfields=[pymarc.Subfield("p", "TVT-0099")]))
    data = record.as_marc()
    batch = services.import_preview(
        collection=collection, uploaded=SimpleUploadedFile("x.mrc", data), filename="x.mrc", by=thuvien
    )
    assert batch.rows[0]["barcode"] == "TVT-0099" and batch.rows[0]["title"] == "Dế Mèn phiêu lưu ký"


def test_not_a_marc_file_is_refused(collection, thuvien):
    with pytest.raises(ValidationError) as exc:
        services.import_preview(
            collection=collection, uploaded=SimpleUploadedFile("x.mrc", b"hello world"), filename="x.mrc", by=thuvien
        )
    assert "MARC21" in " ".join(exc.value.messages)
    assert not ImportBatch.objects.exists()


def test_marcxml_with_doctype_is_refused(collection, thuvien):
    data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><collection/>'
    with pytest.raises(ValidationError):
        services.import_preview(
            collection=collection, uploaded=SimpleUploadedFile("x.xml", data), filename="x.xml", by=thuvien
        )


def test_isbn_validation():
    assert clean_isbn("978-604-2-")[0] == ""
    assert clean_isbn(isbn13(5)) == (isbn13(5), None)
    value, message = clean_isbn("5901234123457")  # a valid EAN-13 of a product, not a book
    assert value == "" and "EAN" in message
    value, message = clean_isbn(isbn13(5)[:-1] + str((int(isbn13(5)[-1]) + 1) % 10))
    assert "số kiểm tra" in message


def csv_upload(rows, name="sach.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"))


HEADER = [
    "Nhan đề",
    "Tác giả",
    "Nhà xuất bản",
    "Năm xuất bản",
    "ISBN",
    "Ký hiệu xếp giá",
    "Mã vạch",
    "Số bản",
    "Tình trạng",
]


def test_spreadsheet_with_errors_writes_nothing(collection, thuvien):
    ItemFactory(collection=collection, barcode="TT-001")
    rows = [
        HEADER,
        ["Dế Mèn phiêu lưu ký", "Tô Hoài", "NXB Kim Đồng", "2020", isbn13(1), "895.9223", "TT-002", "3", "Tốt"],
        ["", "Ai đó", "", "", "", "", "", "", ""],
        ["Góc sân và khoảng trời", "Trần Đăng Khoa", "NXB Kim Đồng", "2019", "5901234123457", "", "TT-001", "1", ""],
        ["Tuổi thơ dữ dội", "Phùng Quán", "NXB Kim Đồng", "năm", isbn13(2), "", "TT-002", "0", "mới tinh"],
    ]
    before = Item.objects.count()
    batch = services.import_preview(collection=collection, uploaded=csv_upload(rows), filename="sach.csv", by=thuvien)
    by_row = {}
    for p in batch.problems:
        by_row.setdefault(p["row"], []).append(p["field"])
    assert 2 not in by_row
    assert by_row[3] == ["title"]
    assert sorted(by_row[4]) == ["barcode", "isbn"]
    assert sorted(by_row[5]) == ["barcode", "condition", "copies", "year"]
    with pytest.raises(ValidationError):
        services.import_confirm(batch=batch, by=thuvien)
    assert Item.objects.count() == before


def test_spreadsheet_import_needs_confirmation(collection, thuvien):
    rows = [
        HEADER,
        ["Dế Mèn phiêu lưu ký", "Tô Hoài", "NXB Kim Đồng", "2020", isbn13(1), "895.9223", "TT-9", "3", "Tốt"],
    ]
    batch = services.import_preview(collection=collection, uploaded=csv_upload(rows), filename="sach.csv", by=thuvien)
    assert not Item.objects.filter(title="Dế Mèn phiêu lưu ký").exists()
    assert services.import_confirm(batch=batch, by=thuvien) == 1
    item = Item.objects.get(title="Dế Mèn phiêu lưu ký")
    assert (item.copies, item.year, item.isbn, item.collection) == (3, 2020, isbn13(1), collection)
    with pytest.raises(ValidationError):
        services.import_confirm(batch=batch, by=thuvien)  # a second click writes nothing more
    assert Item.objects.filter(title="Dế Mèn phiêu lưu ký").count() == 1


def test_template_round_trips(collection, thuvien):
    data = template_workbook()
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == HEADER
    batch = services.import_preview(
        collection=collection, uploaded=SimpleUploadedFile("mau.xlsx", data), filename="mau.xlsx", by=thuvien
    )
    assert batch.problems == [] and batch.rows[0]["title"] == "Dế Mèn phiêu lưu ký"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_xlsx_written_by_libreoffice_imports(collection, thuvien, tmp_path):
    rows = [
        HEADER,
        ["Dế Mèn phiêu lưu ký", "Tô Hoài", "NXB Kim Đồng", "2020", isbn13(11), "895.9223 T450H", "LO-001", "2", "Tốt"],
        [
            "Truyện Kiều",
            "Nguyễn Du",
            "NXB Giáo dục Việt Nam",
            "2018",
            isbn13(12),
            "895.9221 NG527D",
            "LO-002",
            "1",
            "Mới",
        ],
    ]
    source = tmp_path / "danh-muc.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--infilter=CSV:44,34,76,1,,0,false,false,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    written = tmp_path / "danh-muc.xlsx"
    batch = services.import_preview(
        collection=collection,
        uploaded=SimpleUploadedFile(written.name, written.read_bytes()),
        filename=written.name,
        by=thuvien,
    )
    assert batch.problems == []
    services.import_confirm(batch=batch, by=thuvien)
    kieu = Item.objects.get(barcode="LO-002")
    assert (kieu.title, kieu.publisher, kieu.year, kieu.isbn, kieu.condition) == (
        "Truyện Kiều",
        "NXB Giáo dục Việt Nam",
        2018,
        isbn13(12),
        Item.Condition.NEW,
    )
