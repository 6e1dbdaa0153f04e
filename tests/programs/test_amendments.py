"""Amendments of the programme (VII): proposed by a focal unit, agreed or returned by each
Director, applied with a version bump and the old text kept; commitments change nowhere else."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from programs.models import Commitment, ProgrammeAmendment
from programs.selectors import text_diff
from programs.services import amendment_agree, amendment_propose, amendment_return
from tests.programs.factories import programme_2019

pytestmark = pytest.mark.django_db

NEW_TEXT = "Kinh phí thực hiện do hai Sở cùng bố trí từ nguồn sự nghiệp văn hóa và giáo dục hằng năm."


@pytest.fixture
def programme():
    return programme_2019()


def _propose(programme, by, code="VI", text=NEW_TEXT):
    return amendment_propose(
        programme=programme,
        commitment=programme.commitments.get(code="VI"),
        code=code,
        text=text,
        reason="Bổ sung nguồn kinh phí giáo dục.",
        by=by,
    )


def test_the_second_director_applies_it_and_the_version_rises(programme, vanphong, giamdoc_vhttdl, giamdoc_sgddt):
    old = programme.commitments.get(code="VI").text
    amendment = _propose(programme, vanphong)
    amendment = amendment_agree(amendment=amendment, by=giamdoc_sgddt)
    assert amendment.status == ProgrammeAmendment.Status.PROPOSED and amendment.awaiting_sides == ["docst"]
    amendment = amendment_agree(amendment=amendment, by=giamdoc_vhttdl)
    programme.refresh_from_db()
    assert amendment.status == ProgrammeAmendment.Status.APPLIED
    assert amendment.version == programme.version == 2
    assert amendment.previous_text == old and amendment.previous_code == "VI"
    assert programme.commitments.get(code="VI").text == NEW_TEXT


def test_a_director_agrees_only_once(programme, thuvien, giamdoc_vhttdl):
    amendment = amendment_agree(amendment=_propose(programme, thuvien), by=giamdoc_vhttdl)
    with pytest.raises(ValidationError, match="đã đồng ý"):
        amendment_agree(amendment=amendment, by=giamdoc_vhttdl)


def test_a_return_needs_a_comment_and_leaves_the_commitment_alone(programme, thuvien, giamdoc_sgddt, giamdoc_vhttdl):
    old = programme.commitments.get(code="VI").text
    amendment = _propose(programme, thuvien)
    with pytest.raises(ValidationError, match="ghi rõ ý kiến"):
        amendment_return(amendment=amendment, comment="  ", by=giamdoc_sgddt)
    amendment = amendment_return(amendment=amendment, comment="Cần nêu rõ tỷ lệ mỗi bên.", by=giamdoc_sgddt)
    assert amendment.status == ProgrammeAmendment.Status.RETURNED
    with pytest.raises(ValidationError, match="đã được xử lý"):
        amendment_agree(amendment=amendment, by=giamdoc_vhttdl)
    programme.refresh_from_db()
    assert programme.commitments.get(code="VI").text == old and programme.version == 1
    # Returned, the clause is free for a new proposal.
    assert _propose(programme, thuvien).status == ProgrammeAmendment.Status.PROPOSED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": None}, "giống hệt"),
        ({"reason": ""}, "lý do"),
        ({"code": "IV.1.a"}, "đã có điều khoản mã IV.1.a"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_saved(programme, thuvien, kwargs, message):
    clause = programme.commitments.get(code="VI")
    args = {"code": "VI", "text": clause.text if kwargs.get("text", 1) is None else NEW_TEXT, "reason": "Lý do"}
    args.update({k: v for k, v in kwargs.items() if k != "text"})
    with pytest.raises(ValidationError, match=message):
        amendment_propose(programme=programme, commitment=clause, by=thuvien, **args)
    assert not ProgrammeAmendment.objects.exists()


def test_one_pending_proposal_per_commitment_and_directors_cannot_propose(programme, thuvien, vanphong, giamdoc_sgddt):
    _propose(programme, thuvien)
    with pytest.raises(ValidationError, match="đang có một đề xuất"):
        _propose(programme, vanphong, text=NEW_TEXT + " Bổ sung.")
    with pytest.raises(PermissionDenied):
        _propose(programme, giamdoc_sgddt)


def test_a_new_commitment_is_added_at_the_end(programme, thuvien, giamdoc_vhttdl, giamdoc_sgddt):
    amendment = amendment_propose(
        programme=programme,
        commitment=None,
        code="IV.2.e",
        text="Xây dựng thư viện số dùng chung.",
        reason="Bổ sung",
        by=thuvien,
    )
    amendment_agree(amendment=amendment, by=giamdoc_vhttdl)
    amendment_agree(amendment=amendment, by=giamdoc_sgddt)
    added = programme.commitments.get(code="IV.2.e")
    assert added.position == programme.commitments.count() and added.section == "IV"


def test_the_diff_marks_removed_and_added_words():
    parts = text_diff("Hai Sở phối hợp hằng năm.", "Hai Sở cùng phối hợp hằng quý.")
    removed = "".join(p.text for p in parts if p.op == "removed")
    added = "".join(p.text for p in parts if p.op == "added")
    assert "năm." in removed and "cùng" in added and "quý." in added
    assert "".join(p.text for p in parts if p.op != "added") == "Hai Sở phối hợp hằng năm."


# --- Views ---------------------------------------------------------------------------------


def test_propose_view(client, programme, thuvien, giamdoc_sgddt):
    clause = programme.commitments.get(code="VI")
    url = reverse("programs:amendment-create", args=[programme.pk])
    client.force_login(giamdoc_sgddt)
    assert client.get(url).status_code == 403
    client.force_login(thuvien)
    page = client.get(f"{url}?commitment={clause.pk}").content.decode()
    assert clause.text[:40] in page
    response = client.post(url, {"commitment": clause.pk, "code": "", "text": NEW_TEXT, "reason": ""})
    assert response.status_code == 200 and not ProgrammeAmendment.objects.exists()
    response = client.post(url, {"commitment": clause.pk, "code": "", "text": NEW_TEXT, "reason": "Lý do"}, follow=True)
    assert "Đã gửi đề xuất sửa đổi" in response.content.decode()
    assert ProgrammeAmendment.objects.get().new_code == "VI"


def test_decide_view_and_programme_page_links_to_the_old_text(
    client, programme, thuvien, giamdoc_vhttdl, giamdoc_sgddt
):
    amendment = _propose(programme, thuvien)
    url = reverse("programs:amendment-decide", args=[amendment.pk])
    detail = reverse("programs:amendment-detail", args=[amendment.pk])
    client.force_login(thuvien)
    assert client.post(url, {"decision": "agree"}).status_code == 403
    assert 'data-testid="amendment-decision-form"' not in client.get(detail).content.decode()
    client.force_login(giamdoc_vhttdl)
    assert client.get(url).status_code == 405
    response = client.post(url, {"decision": "agree"}, follow=True)
    assert "đang chờ Giám đốc Sở còn lại" in response.content.decode()
    assert 'data-testid="amendment-decision-form"' not in response.content.decode()
    client.force_login(giamdoc_sgddt)
    response = client.post(url, {"decision": "agree"}, follow=True)
    assert "phiên bản 2" in response.content.decode()
    page = client.get(reverse("programs:programme-detail", args=[programme.pk])).content.decode()
    assert 'data-testid="amended-VI"' in page and detail in page


def test_an_unknown_amendment_is_404(client, programme, thuvien):
    amendment = _propose(programme, thuvien)
    client.force_login(thuvien)
    assert client.get(reverse("programs:amendment-detail", args=[amendment.pk + 1])).status_code == 404
    assert client.post(reverse("programs:amendment-decide", args=[amendment.pk + 1])).status_code in (403, 404)


def test_the_admin_cannot_change_a_commitment(client, programme, admin_user):
    clause = programme.commitments.get(code="VI")
    client.force_login(admin_user)
    url = reverse("admin:programs_commitment_change", args=[clause.pk])
    client.post(url, {"code": "VI", "section": "VI", "text": "Sửa thẳng trong trang quản trị", "lead_side": "joint"})
    assert Commitment.objects.get(pk=clause.pk).text == clause.text
    assert client.get(reverse("admin:programs_commitment_add")).status_code == 403
    assert client.get(reverse("admin:programs_commitment_delete", args=[clause.pk])).status_code == 403


def test_reloading_the_programme_file_undoes_no_amendment(programme, thuvien, giamdoc_vhttdl, giamdoc_sgddt):
    from django.core.management import call_command

    renamed = _propose(programme, thuvien, code="VI.a")
    amendment_agree(amendment=renamed, by=giamdoc_vhttdl)
    amendment_agree(amendment=renamed, by=giamdoc_sgddt)
    count = programme.commitments.count()
    call_command("load_programme", stdout=io.StringIO())
    programme.refresh_from_db()
    assert programme.commitments.get(code="VI.a").text == NEW_TEXT
    assert not programme.commitments.filter(code="VI").exists(), "the renamed clause is not loaded again"
    assert programme.commitments.count() == count and programme.version == 2
