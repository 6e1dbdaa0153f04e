"""MARC from Vietnamese library systems: TCVN3 (ABC) and VNI records declared as MARC-8 are
recognised and converted to Unicode NFC, another 8-bit encoding is flagged per record in the
preview, the librarian can choose the encoding there, and UNIMARC records are mapped.

The records are encoded here by hand, byte for byte, from the published TCVN3 and VNI
layouts (e.g. "Hà Nội" is "Hµ Néi" in TCVN3 and "Haø Noäi" in VNI), not by this code."""

import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pymarc import Field, Indicators, Record, Subfield

from circulation.imports import parse_marc
from circulation.legacy_text import decode_tcvn3, decode_vni, vietnamese_ratio
from circulation.models import ImportBatch, Item

pytestmark = pytest.mark.django_db


def _iso2709(records, *, leader9=" ") -> bytes:
    """ISO 2709 bytes of (title, author, publisher) records whose text is already in the
    legacy encoding (one character per byte), declared MARC-8 (leader/09 blank) by default."""
    out = b""
    for title, author, publisher in records:
        record = Record(to_unicode=False, force_utf8=False)
        record.add_field(Field(tag="245", indicators=Indicators("1", "0"), subfields=[Subfield("a", title)]))
        record.add_field(Field(tag="100", indicators=Indicators("1", " "), subfields=[Subfield("a", author)]))
        record.add_field(
            Field(
                tag="260", indicators=Indicators(" ", " "), subfields=[Subfield("b", publisher), Subfield("c", "2019")]
            )
        )
        data = record.as_marc()
        out += data[:9] + leader9.encode() + data[10:]
    return out


TCVN3 = [
    ("TruyÖn cæ tÝch ViÖt Nam", "T« Hoµi", "Kim §ång"),
    ("DÕ MÌn phiªu l\xadu ký", "T« Hoµi", "Kim §ång"),
]
VNI = [
    ("Truyeän coå tích Vieät Nam", "Toâ Hoaøi", "Kim Ñoàng"),
    ("Deá Meøn phieâu löu kyù", "Toâ Hoaøi", "Kim Ñoàng"),
]
EXPECTED = [("Truyện cổ tích Việt Nam", "Tô Hoài", "Kim Đồng"), ("Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng")]


def _fields(parsed):
    return [(r["title"], r["authors"], r["publisher"]) for r in parsed.rows]


def test_known_samples_decode():
    assert decode_tcvn3("Hµ Néi") == "Hà Nội"
    assert decode_tcvn3("Tr\xadêng tiÓu häc") == "Trường tiểu học"
    assert decode_vni("Haø Noäi") == "Hà Nội"
    assert decode_vni("Tröôøng tieåu hoïc") == "Trường tiểu học"
    assert decode_vni("THÖ VIEÄN") == "THƯ VIỆN"
    assert unicodedata.is_normalized("NFC", decode_vni("Vieät Nam"))


@pytest.mark.parametrize(("records", "name"), [(TCVN3, "TCVN3 (ABC)"), (VNI, "VNI")])
def test_a_legacy_file_declared_marc8_is_recognised_and_converted(records, name, capfd):
    parsed = parse_marc(_iso2709(records), filename="kho-sach.mrc")
    # Nothing on the server's console (pymarc reports every byte MARC-8 cannot map).
    assert capfd.readouterr().err == ""
    assert _fields(parsed) == EXPECTED
    assert all(unicodedata.is_normalized("NFC", r["title"]) for r in parsed.rows)
    assert all(name in r["notes"][0] for r in parsed.rows)
    assert parsed.problems == []


def test_a_legacy_file_mislabelled_utf8_is_recognised_too():
    parsed = parse_marc(_iso2709(TCVN3, leader9="a"), filename="kho-sach.mrc")
    assert _fields(parsed) == EXPECTED and parsed.problems == []


def test_another_single_byte_encoding_is_flagged_per_record():
    russian = ("Война и мир".encode("cp1251").decode("latin-1"), "Толстой".encode("cp1251").decode("latin-1"), "")
    parsed = parse_marc(_iso2709([TCVN3[0], russian]), filename="hon-hop.mrc")
    assert [p["row"] for p in parsed.problems] == [2], "only the Russian record is flagged"
    assert "không đọc được" in parsed.problems[0]["message"]
    assert parsed.rows[0]["title"] == EXPECTED[0][0]


def test_plain_french_marc8_is_left_alone():
    # MARC-8 writes é as the combining acute (0xE2) before the letter.
    parsed = parse_marc(_iso2709([("Le Petit Prince : r\xe2ecit", "Saint-Exup\xe2ery", "Gallimard")]), filename="f.mrc")
    assert parsed.rows[0]["title"] == "Le Petit Prince : récit"
    assert parsed.problems == [] and "notes" not in parsed.rows[0]


def test_the_ratio_tells_vietnamese_from_noise():
    assert vietnamese_ratio("Truyện cổ tích Việt Nam") == 1
    assert vietnamese_ratio(decode_tcvn3("Âîéíà è ìèð")) < 0.5
    assert vietnamese_ratio("Plain ASCII title") is None


def test_unimarc_fields_are_mapped():
    record = Record(to_unicode=True, force_utf8=True)
    record.add_field(Field(tag="010", indicators=Indicators(" ", " "), subfields=[Subfield("a", "978-604-2-12345-7")]))
    record.add_field(
        Field(
            tag="200",
            indicators=Indicators("1", " "),
            subfields=[Subfield("a", "Đất rừng phương Nam"), Subfield("e", "tiểu thuyết")],
        )
    )
    record.add_field(
        Field(
            tag="210",
            indicators=Indicators(" ", " "),
            subfields=[Subfield("a", "Hà Nội"), Subfield("c", "Kim Đồng"), Subfield("d", "2019")],
        )
    )
    record.add_field(
        Field(tag="700", indicators=Indicators(" ", "1"), subfields=[Subfield("a", "Đoàn"), Subfield("b", "Giỏi")])
    )
    record.add_field(Field(tag="701", indicators=Indicators(" ", "1"), subfields=[Subfield("a", "Tô Hoài")]))
    (row,) = parse_marc(record.as_marc(), filename="unimarc.mrc").rows
    assert row["title"] == "Đất rừng phương Nam: tiểu thuyết"
    assert row["authors"] == "Đoàn Giỏi; Tô Hoài"
    assert row["publisher"] == "Kim Đồng" and row["year"] == 2019
    assert row["isbn"] == "9786042123457"


# --- Through the pages ---------------------------------------------------------------------


def _url(name, *args):
    return reverse(f"circulation:{name}", args=args)


@pytest.mark.parametrize("records", [TCVN3, VNI])
def test_a_legacy_file_imports_with_correct_vietnamese_titles(client, thuvien, collection, records):
    client.force_login(thuvien)
    upload = SimpleUploadedFile("tu-sach-cu.mrc", _iso2709(records))
    client.post(_url("import-upload", collection.pk), {"file": upload})
    batch = ImportBatch.objects.get()
    page = client.get(_url("import-preview", batch.pk)).content.decode()
    assert "Truyện cổ tích Việt Nam" in page and 'data-testid="row-note"' in page
    client.post(_url("import-confirm", batch.pk))
    titles = set(Item.objects.filter(collection=collection).values_list("title", flat=True))
    assert {"Truyện cổ tích Việt Nam", "Dế Mèn phiêu lưu ký"} <= titles
    assert Item.objects.get(collection=collection, title="Dế Mèn phiêu lưu ký").publisher == "Kim Đồng"


def test_the_librarian_chooses_the_encoding_in_the_preview(client, thuvien, collection):
    client.force_login(thuvien)
    # One short TCVN3 title with no distinctive letter reads as MARC-8 without error: the
    # librarian sees "Sè" and chooses TCVN3.
    client.post(
        _url("import-upload", collection.pk), {"file": SimpleUploadedFile("a.mrc", _iso2709([("Sè 1", "A", "B")]))}
    )
    batch = ImportBatch.objects.get()
    reread = _url("import-reread", batch.pk)
    assert client.get(reread).status_code == 405
    response = client.post(reread, {"encoding": "tcvn3"}, follow=True)
    assert "Đã đọc lại tệp theo bảng mã TCVN3" in response.content.decode()
    batch.refresh_from_db()
    assert batch.rows[0]["title"] == "Số 1" and batch.encoding == "tcvn3"
    assert "theo lựa chọn" in batch.rows[0]["notes"][0]
    assert client.post(reread, {"encoding": "koi8-r"}, follow=True).status_code == 200
    batch.refresh_from_db()
    assert batch.encoding == "tcvn3", "an unknown encoding changes nothing"


def test_a_file_in_another_encoding_is_flagged_in_the_preview_and_not_imported(client, thuvien, collection):
    client.force_login(thuvien)
    russian = ("Война и мир".encode("cp1251").decode("latin-1"), "Толстой".encode("cp1251").decode("latin-1"), "")
    client.post(_url("import-upload", collection.pk), {"file": SimpleUploadedFile("nga.mrc", _iso2709([russian]))})
    batch = ImportBatch.objects.get()
    page = client.get(_url("import-preview", batch.pk)).content.decode()
    assert "Bản ghi số 1 có ký tự không đọc được" in page and 'data-testid="encoding-form"' in page
    assert "Xác nhận nhập" not in page
    before = Item.objects.filter(collection=collection).count()
    client.post(_url("import-confirm", batch.pk))
    assert Item.objects.filter(collection=collection).count() == before
