"""Importing schools and libraries from a spreadsheet: all rows or nothing."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from directory.models import Organisation
from directory.services import organisations_import

HEADER = ["Mã", "Tên", "Loại", "Cấp học", "Huyện", "Xã", "Địa chỉ", "Điện thoại", "Email"]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("truong.xlsx", buffer.getvalue())


GOOD_ROWS = [
    [
        "TH-IMP-01",
        "Trường Tiểu học Chi Nê",
        "Trường học",
        "Tiểu học",
        "Lạc Thủy",
        "",
        "Thị trấn Chi Nê",
        "0218 3871 001",
        "",
    ],
    ["TH-IMP-02", "Trường THCS Mường Khến", "truong hoc", "THCS", "155", "", "", "", "thcs.muongkhen@hoabinh.edu.vn"],
    ["TVH-IMP-03", "Thư viện xã Phú Lương", "Thư viện", "", "lac son", "", "", "", ""],
]


def test_good_file_creates_schools_with_their_libraries(db):
    result = organisations_import(uploaded=xlsx(GOOD_ROWS))
    assert result.ok, result.errors
    assert result.created == 3
    school = Organisation.objects.get(code="TH-IMP-02")
    assert school.district.name == "Tân Lạc"
    assert school.school_level == "lower_secondary"
    assert school.children.get(kind="school_library").name == "Thư viện Trường THCS Mường Khến"
    assert Organisation.objects.get(code="TVH-IMP-03").district.name == "Lạc Sơn"


def test_one_bad_row_writes_nothing_and_names_the_row(db):
    rows = [
        *GOOD_ROWS[:2],
        ["TH-IMP-09", "Trường Tiểu học Sao Mai", "Trường học", "Đại học", "Lạc Sơn", "", "", "", ""],
    ]
    before = Organisation.objects.count()
    result = organisations_import(uploaded=xlsx(rows))
    assert not result.ok
    assert Organisation.objects.count() == before
    assert [(e.ref, e.message) for e in result.errors] == [("D4", "Cấp học “Đại học” không hợp lệ.")]


def test_every_problem_is_reported_with_its_cell(db):
    rows = [
        ["", "Trường A", "Trường học", "Tiểu học", "Lạc Sơn", "", "", "", ""],
        ["X1", "Trường B", "Nhà văn hóa", "", "Lạc Sơn", "", "", "", ""],
        ["X2", "Trường C", "Trường học", "Tiểu học", "Huyện Không Có", "", "", "", ""],
        ["X2", "Trường D", "Trường học", "Tiểu học", "Lạc Sơn", "Xã Không Có", "", "", "khong-phai-email"],
    ]
    result = organisations_import(uploaded=xlsx(rows))
    refs = [e.ref for e in result.errors]
    assert refs == ["A2", "C3", "E4", "A5", "F5", "I5"]
    assert "trùng với dòng 4" in result.errors[3].message
    assert not Organisation.objects.filter(code__in=["X1", "X2"]).exists()


def test_missing_required_column_is_refused(db):
    result = organisations_import(uploaded=xlsx(GOOD_ROWS, header=["Mã", "Tên", "Cấp học"]))
    assert [e.message for e in result.errors] == ["Thiếu cột bắt buộc: Loại.", "Thiếu cột bắt buộc: Huyện/thành phố."]


def test_csv_from_excel_with_semicolons_and_bom_imports(db):
    text = "Mã;Tên;Loại;Cấp học;Huyện\nTH-CSV-1;Trường Mầm non Hoa Ban;Trường học;Mầm non;Mai Châu\n"
    upload = SimpleUploadedFile("truong.csv", text.encode("utf-8-sig"))
    result = organisations_import(uploaded=upload)
    assert result.ok, result.errors
    assert Organisation.objects.get(code="TH-CSV-1").school_level == "preschool"


def test_a_file_that_is_not_a_spreadsheet_is_refused(db):
    result = organisations_import(uploaded=SimpleUploadedFile("truong.xlsx", b"not a zip at all"))
    assert [e.message for e in result.errors] == ["Tệp không phải là tệp Excel (.xlsx) hợp lệ."]


def test_reimport_updates_instead_of_duplicating(db):
    organisations_import(uploaded=xlsx(GOOD_ROWS))
    renamed = [["TH-IMP-01", "Trường Tiểu học Chi Nê A", "Trường học", "Tiểu học", "Lạc Thủy", "", "", "", ""]]
    result = organisations_import(uploaded=xlsx(renamed))
    assert (result.created, result.updated) == (0, 1)
    assert Organisation.objects.filter(code__startswith="TH-IMP-01").count() == 2  # school + its library
    assert Organisation.objects.get(code="TH-IMP-01-TV").name == "Thư viện Trường Tiểu học Chi Nê A"


def test_management_command_reports_rows_and_writes_nothing_on_error(db, tmp_path, capsys):
    path = tmp_path / "truong.xlsx"
    bad = xlsx([["TH-CMD-1", "", "Trường học", "Tiểu học", "Lạc Sơn"]])
    path.write_bytes(bad.read())
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không có dữ liệu nào được ghi"):
        call_command("import_organisations", str(path))
    assert "B2: Thiếu tên đơn vị." in capsys.readouterr().err
    assert not Organisation.objects.filter(code="TH-CMD-1").exists()


def test_admin_import_page_shows_errors_and_imports(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:directory_organisation_import")
    response = client.post(url, {"file": xlsx([["TH-ADM-1", "Trường A", "Trường học", "Lớp 1", "Lạc Sơn"]])})
    assert "D2" in response.content.decode()
    assert not Organisation.objects.filter(code="TH-ADM-1").exists()
    response = client.post(url, {"file": xlsx(GOOD_ROWS)})
    assert response.status_code == 302
    assert Organisation.objects.filter(code="TH-IMP-01").exists()


def test_admin_import_refused_for_leadership_who_only_view(client, giamdoc_sgddt):
    client.force_login(giamdoc_sgddt)
    response = client.post(reverse("admin:directory_organisation_import"), {"file": xlsx(GOOD_ROWS)})
    assert response.status_code == 302
    assert not Organisation.objects.filter(code="TH-IMP-01").exists()


def test_new_organisations_keep_their_history_with_the_importer_and_an_existing_code_is_updated(db):
    from tests.factories import UserFactory

    importer = UserFactory(username="nhap.truong")
    first = organisations_import(uploaded=xlsx(GOOD_ROWS), by=importer)
    assert first.ok and first.created == 3
    # Two schools, their two libraries and the public library, each with a "created" history row
    # naming who imported it.
    created = Organisation.history.filter(history_type="+", history_user=importer)
    assert sorted(created.values_list("code", flat=True)) == sorted(
        ["TH-IMP-01", "TH-IMP-01-TV", "TH-IMP-02", "TH-IMP-02-TV", "TVH-IMP-03"]
    )
    renamed = [["TH-IMP-02", "Trường THCS Mường Khến mới", "Trường học", "THCS", "155", "", "", "", ""]]
    second = organisations_import(uploaded=xlsx(renamed), by=importer)
    assert (second.created, second.updated) == (0, 1)
    school = Organisation.objects.get(code="TH-IMP-02")
    assert school.name == "Trường THCS Mường Khến mới"
    assert school.children.get(kind="school_library").name == "Thư viện Trường THCS Mường Khến mới"
    assert Organisation.objects.filter(code__startswith="TH-IMP-02").count() == 2
