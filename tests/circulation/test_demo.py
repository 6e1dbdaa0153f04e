from circulation import demo
from circulation.models import Item, RotatingCollection, Rotation
from directory import demo as directory_demo


def test_demo_is_idempotent_and_gives_everyone_something(db):
    directory_demo.seed()
    demo.seed()
    counts = (RotatingCollection.objects.count(), Item.objects.count(), Rotation.objects.count())
    demo.seed()
    assert (RotatingCollection.objects.count(), Item.objects.count(), Rotation.objects.count()) == counts
    assert set(Rotation.objects.values_list("status", flat=True)) == set(Rotation.Status.values)
    lac_son = Rotation.objects.filter(school_library__members__username="tv.lac-son")
    assert lac_son.filter(status=Rotation.Status.DISPATCHED).exists()  # something to confirm
    assert Rotation.objects.filter(copies_missing__gt=0).exists()
    assert Rotation.objects.filter(status=Rotation.Status.CLOSED, copies_lost__gt=0).exists()
    from stdnum import isbn

    assert all(isbn.is_valid(code) for code in Item.objects.values_list("isbn", flat=True))


def test_demo_has_a_pending_tcvn3_import_shown_in_unicode(db):
    from circulation import demo as circulation_demo
    from circulation.models import ImportBatch
    from directory import demo as directory_demo

    directory_demo.seed()
    circulation_demo.seed()
    circulation_demo.seed()
    batch = ImportBatch.objects.get(filename="kho-sach-cu-tcvn3.mrc")
    assert [r["title"] for r in batch.rows] == ["Truyện cổ tích Việt Nam", "Dế Mèn phiêu lưu ký"]
    assert batch.rows[0]["authors"] == "Nguyễn Đổng Chi" and "TCVN3" in batch.rows[0]["notes"][0]
    assert batch.problems == []
