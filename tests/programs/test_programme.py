from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from programs.models import Commitment, Programme, ProgrammeAmendment
from programs.services import amendment_agree, amendment_propose, programme_renew

from .factories import programme_2019

pytestmark = pytest.mark.django_db

# Every clause of the 2019 document, with its own numbering (two "d" items in IV.1).
DOCUMENT_CODES = [
    "I.1.a", "I.1.b", "I.1.c", "I.1.d", "I.2", "II", "III.1", "III.2", "III.3",
    "IV.1.a", "IV.1.b", "IV.1.c", "IV.1.d", "IV.1.d2", "IV.1.e",
    "IV.2.a", "IV.2.b", "IV.2.c", "IV.2.d", "IV.3.a", "IV.3.b", "IV.3.c", "IV.3.d",
    "V.1", "V.2", "V.3", "V.4", "V.5", "V.6", "VI", "VII",
]  # fmt: skip


def test_the_2019_programme_has_every_clause_of_the_document_once_in_order():
    programme = programme_2019()
    codes = list(programme.commitments.order_by("position").values_list("code", flat=True))
    assert codes == DOCUMENT_CODES
    assert programme.signed_on == date(2019, 3, 18)
    assert (programme.valid_from, programme.valid_to) == (2019, 2020)
    d, d2 = programme.commitments.get(code="IV.1.d"), programme.commitments.get(code="IV.1.d2")
    assert d.text.startswith("Tham mưu xây dựng") and d2.text.startswith("Đề xuất, kiến nghị")
    assert programme.commitments.get(code="IV.2.b").lead_side == "docst"
    assert programme.commitments.get(code="IV.3.c").lead_side == "doet"
    assert set(programme.parties.values_list("code", flat=True)) == {"SVHTTDL", "SGDDT"}
    assert list(programme.legal_bases.values_list("number", flat=True)) == [
        "31/2000/PL-UBTVQH10",
        "89/QĐ-TTg",
        "208/QĐ-TTg",
        "122/CTPH-BVHTTDL-BGDĐT",
    ]
    assert "UBND tỉnh" in programme.distribution


def test_load_programme_command_is_idempotent():
    out = StringIO()
    call_command("load_programme", stdout=out)
    call_command("load_programme", stdout=out)
    assert Programme.objects.count() == 1
    assert Commitment.objects.count() == len(DOCUMENT_CODES)
    assert "31 commitments" in out.getvalue()


def test_renewal_copies_commitments_and_remembers_their_origin():
    source = programme_2019()
    renewal = programme_renew(
        source=source, title="Giai đoạn 2026-2030", signed_on=date(2026, 2, 20), valid_from=2026, valid_to=2030
    )
    again = programme_renew(
        source=source, title="Giai đoạn 2026-2030", signed_on=date(2026, 2, 20), valid_from=2026, valid_to=2030
    )
    assert again == renewal and renewal.is_renewal
    assert list(renewal.commitments.values_list("code", flat=True)) == DOCUMENT_CODES
    copy = renewal.commitments.get(code="IV.1.d2")
    assert copy.copied_from == source.commitments.get(code="IV.1.d2")


def test_amendment_needs_both_directors_and_keeps_the_previous_text(thuvien, giamdoc_vhttdl, giamdoc_sgddt):
    programme = programme_2019()
    clause = programme.commitments.get(code="VI")
    old_text = clause.text
    amendment = amendment_propose(
        programme=programme,
        commitment=clause,
        code="VI",
        text="Kinh phí do hai Sở cùng bố trí.",
        reason="Điều chỉnh",
        by=thuvien,
    )
    amendment_agree(amendment=amendment, by=giamdoc_vhttdl)
    clause.refresh_from_db()
    assert clause.text == old_text, "one side alone must not change the programme"
    amendment = amendment_agree(amendment=amendment, by=giamdoc_sgddt)
    clause.refresh_from_db()
    programme.refresh_from_db()
    assert amendment.status == ProgrammeAmendment.Status.APPLIED
    assert clause.text == "Kinh phí do hai Sở cùng bố trí."
    assert amendment.previous_text == old_text
    assert clause.history.count() >= 2 and programme.version == 2


def test_amendment_refused_to_a_focal_officer(thuvien):
    programme = programme_2019()
    amendment = amendment_propose(
        programme=programme, commitment=None, code="IV.1.g", text="Nội dung mới", reason="Bổ sung", by=thuvien
    )
    with pytest.raises(PermissionDenied, match="Giám đốc"):
        amendment_agree(amendment=amendment, by=thuvien)
