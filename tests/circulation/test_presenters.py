"""What the circulation pages are given, built without a request."""

from types import SimpleNamespace

from circulation import presenters


def test_the_import_preview_puts_each_problem_on_its_row_and_the_files_own_above():
    batch = SimpleNamespace(
        rows=[{"row": 2, "title": "Dế Mèn phiêu lưu ký", "copies": 3}, {"row": 3, "title": "", "copies": 1}],
        problems=[{"row": 3, "message": "Thiếu nhan đề."}, {"row": 0, "message": "Tệp không có cột ISBN."}],
    )
    page = presenters.import_preview_page(batch)
    assert [r["problems"] for r in page["rows"]] == [[], [{"row": 3, "message": "Thiếu nhan đề."}]]
    assert page["general_problems"] == [{"row": 0, "message": "Tệp không có cột ISBN."}]
    assert page["copies"] == 4 and ("auto", "Tự nhận biết") in [(k, str(v)) for k, v in page["encodings"]]


def test_the_scanner_texts_are_all_translated_strings():
    texts = presenters.scan_texts()
    assert texts["count"] == "Đã quét %(n)s/%(total)s" and all(isinstance(v, str) and v for v in texts.values())
