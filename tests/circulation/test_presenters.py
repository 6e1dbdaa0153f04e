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


def test_statistics_chart_series_follow_the_figures():
    """The charts draw lost and damaged copies together, and a row with no district as "—"."""
    import datetime as dt

    from circulation.presenters import statistics_chart

    stats = {
        "by_district": [
            {
                "school_library__district__name": "Lạc Sơn",
                "copies": 120,
                "schools": 3,
                "lost": 2,
                "damaged": 1,
                "missing": 4,
            },
            {
                "school_library__district__name": None,
                "copies": None,
                "schools": 1,
                "lost": None,
                "damaged": 0,
                "missing": None,
            },
        ],
        "by_month": [{"month": dt.datetime(2026, 9, 1), "copies": 60, "collections": 2}],
    }
    chart = statistics_chart(stats)
    assert chart["districts"]["labels"] == ["Lạc Sơn", "—"]
    assert chart["districts"]["copies"] == [120, 0]
    assert chart["districts"]["lost"] == [3, 0]
    assert chart["districts"]["missing"] == [4, 0]
    assert chart["months"]["labels"] == ["09/2026"]
