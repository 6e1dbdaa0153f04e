"""MARCXML goes through defusedxml with every DTD forbidden: a DOCTYPE or entity is refused
whatever encoding hides its bytes, and nothing is imported."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from circulation import services
from circulation.imports import parse_marc
from circulation.models import ImportBatch

NS = 'xmlns="http://www.loc.gov/MARC21/slim"'
RECORD = (
    '<record><leader>00000nam a2200000 a 4500</leader><datafield tag="245" ind1="0" ind2="0">'
    '<subfield code="a">{title}</subfield></datafield></record>'
)
HOSTILE_PROLOGUES = {
    "internal entity": '<!DOCTYPE c [<!ENTITY e "Dế Mèn">]>',
    "external entity": '<!DOCTYPE c [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "parameter entity": '<!DOCTYPE c [<!ENTITY % p SYSTEM "http://example.com/x.dtd"> %p;]>',
    "external DTD": '<!DOCTYPE c SYSTEM "http://example.com/marc.dtd">',
    "billion laughs": '<!DOCTYPE c [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;"><!ENTITY e "&b;&b;&b;">]>',
    "bare DOCTYPE": "<!DOCTYPE c>",
}
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-16-le", "utf-32"]


def _document(prologue: str, encoding: str, title: str = "&e;") -> bytes:
    declared = {"utf-8-sig": "UTF-8", "utf-16-be": "UTF-16", "utf-16-le": "UTF-16"}.get(encoding, encoding.upper())
    text = f'<?xml version="1.0" encoding="{declared}"?>{prologue}<collection {NS}>{RECORD.format(title=title)}</collection>'
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("kind", HOSTILE_PROLOGUES)
def test_any_dtd_is_refused_whatever_the_encoding(kind, encoding, collection, thuvien):
    data = _document(HOSTILE_PROLOGUES[kind], encoding)
    assert b"<!DOCTYPE" not in data or encoding.startswith("utf-8")  # the byte search would miss the others
    with pytest.raises(ValidationError) as exc:
        services.import_preview(
            collection=collection, uploaded=SimpleUploadedFile("x.xml", data), filename="x.xml", by=thuvien
        )
    assert "Tệp MARCXML" in " ".join(exc.value.messages)
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_a_plain_marcxml_still_imports_in_any_encoding(encoding, db):
    parsed = parse_marc(_document("", encoding, title="Dế Mèn phiêu lưu ký"), filename="sach.xml")
    assert [row["title"] for row in parsed.rows] == ["Dế Mèn phiêu lưu ký"]
