"""Demo data for book rotation: collections of the Provincial Library and three district
libraries with Vietnamese books, rotations in every state over the last school years and
the current one, a route, an overdue rotation, a receipt with missing items and a return with
a loss. The Lạc Sơn librarian (tv.lac-son) has a collection waiting for confirmation.

Idempotent: a collection that already exists keeps its items and rotations untouched.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from stdnum import ean

from directory.models import Organisation, User

from . import services
from .models import Item, RotatingCollection, Rotation, RotationEvent, Route, RouteStage

# (title, authors, publisher, year, call number)
BOOKS = {
    "thieu-nhi": [
        ("Dế Mèn phiêu lưu ký", "Tô Hoài", "NXB Kim Đồng", 2021, "895.9223 T450H"),
        ("Đất rừng phương Nam", "Đoàn Giỏi", "NXB Kim Đồng", 2020, "895.9223 Đ406G"),
        ("Tuổi thơ dữ dội", "Phùng Quán", "NXB Kim Đồng", 2019, "895.9223 PH513Q"),
        ("Góc sân và khoảng trời", "Trần Đăng Khoa", "NXB Kim Đồng", 2022, "895.9221 TR121K"),
        ("Cho tôi xin một vé đi tuổi thơ", "Nguyễn Nhật Ánh", "NXB Trẻ", 2018, "895.9223 NG527A"),
        ("Kính vạn hoa – tập 1", "Nguyễn Nhật Ánh", "NXB Kim Đồng", 2020, "895.9223 NG527A"),
        ("Truyện cổ tích Việt Nam", "Nguyễn Đổng Chi", "NXB Giáo dục Việt Nam", 2019, "398.209597 NG527C"),
        ("Quê nội", "Võ Quảng", "NXB Kim Đồng", 2021, "895.9223 V400Q"),
    ],
    "ky-nang": [
        (
            "Hạt giống tâm hồn – Cho lòng dũng cảm và tình yêu cuộc sống",
            "Nhiều tác giả",
            "NXB Tổng hợp TP. Hồ Chí Minh",
            2020,
            "158.1 H110G",
        ),
        ("Kỹ năng sống dành cho học sinh – Tự tin", "Nguyễn Khánh Linh", "NXB Giáo dục Việt Nam", 2021, "646.7 K600N"),
        ("Em an toàn trên mạng", "Trần Thị Hương Giang", "NXB Kim Đồng", 2022, "004.678 E202A"),
        ("Nghĩ giàu và làm giàu", "Napoleon Hill", "NXB Tổng hợp TP. Hồ Chí Minh", 2019, "650.1 H309N"),
        ("Đắc nhân tâm", "Dale Carnegie", "NXB Tổng hợp TP. Hồ Chí Minh", 2021, "158.2 C109D"),
        (
            "Cẩm nang phòng chống đuối nước cho học sinh",
            "Bộ Giáo dục và Đào tạo",
            "NXB Giáo dục Việt Nam",
            2020,
            "613.6 C120N",
        ),
    ],
    "lich-su": [
        ("Lịch sử Việt Nam bằng tranh – tập 1", "Trần Bạch Đằng", "NXB Trẻ", 2020, "959.7 L302S"),
        ("Những ngôi sao xa xôi", "Lê Minh Khuê", "NXB Kim Đồng", 2019, "895.9223 L250K"),
        ("Búp sen xanh", "Sơn Tùng", "NXB Kim Đồng", 2021, "895.9223 S464T"),
        ("Điện Biên Phủ – Điểm hẹn lịch sử", "Võ Nguyên Giáp", "NXB Chính trị quốc gia Sự thật", 2019, "959.704 V400G"),
        ("Hòa Bình – Đất và người", "Nhiều tác giả", "NXB Văn hóa dân tộc", 2018, "959.719 H401B"),
        ("Nhật ký Đặng Thùy Trâm", "Đặng Thùy Trâm", "NXB Hội Nhà văn", 2020, "895.9228 Đ116T"),
    ],
    "khoa-hoc": [
        ("Mười vạn câu hỏi vì sao – Vũ trụ", "Nhiều tác giả", "NXB Giáo dục Việt Nam", 2020, "500 M558V"),
        ("Bách khoa tri thức cho trẻ em", "Nhiều tác giả", "NXB Kim Đồng", 2021, "030 B102K"),
        ("Thế giới động vật quanh em", "Nguyễn Lân Dũng", "NXB Giáo dục Việt Nam", 2019, "590 TH250G"),
        ("Em tập làm nhà khoa học", "Phạm Văn Đồng", "NXB Kim Đồng", 2022, "507.8 E202T"),
        ("Toán học quanh ta", "Nguyễn Cảnh Toàn", "NXB Giáo dục Việt Nam", 2020, "510 T406H"),
        ("Cây thuốc quanh nhà", "Đỗ Tất Lợi", "NXB Y học", 2018, "615.3 C126T"),
    ],
    "muong": [
        ("Đẻ đất đẻ nước", "Vương Anh Tuấn (sưu tầm)", "NXB Văn hóa dân tộc", 2019, "398.2 Đ200Đ"),
        ("Truyện cổ dân tộc Mường", "Bùi Thiện", "NXB Văn hóa dân tộc", 2018, "398.209597 TR527C"),
        ("Mo Mường Hòa Bình", "Bùi Huy Vọng", "NXB Khoa học xã hội", 2020, "398.209597 M400M"),
        ("Tục ngữ, ca dao Mường", "Bùi Thiện", "NXB Văn hóa dân tộc", 2017, "398.9 T506N"),
        ("Chiêng Mường", "Kiều Trung Sơn", "NXB Văn hóa dân tộc", 2019, "781.62 CH305M"),
    ],
    "thieu-nhi-2": [
        ("Hoàng tử bé", "Antoine de Saint-Exupéry", "NXB Kim Đồng", 2021, "843 S100E"),
        ("Chuyện con mèo dạy hải âu bay", "Luis Sepúlveda", "NXB Hội Nhà văn", 2020, "863 S206L"),
        ("Totto-chan bên cửa sổ", "Kuroyanagi Tetsuko", "NXB Hội Nhà văn", 2019, "895.6 K500T"),
        ("Những tấm lòng cao cả", "Edmondo De Amicis", "NXB Văn học", 2020, "853 A100E"),
        ("Tôi thấy hoa vàng trên cỏ xanh", "Nguyễn Nhật Ánh", "NXB Trẻ", 2018, "895.9223 NG527A"),
    ],
}

# (owner code, collection code, name, theme, level, book set, copies each)
COLLECTIONS = [
    ("TVT", "TVT-LC-01", "Tủ sách thiếu nhi – Văn học Việt Nam", "Văn học thiếu nhi", "primary", "thieu-nhi", 3),
    ("TVT", "TVT-LC-02", "Tủ sách kỹ năng sống cho học sinh", "Kỹ năng sống", "lower_secondary", "ky-nang", 2),
    ("TVT", "TVT-LC-03", "Tủ sách lịch sử – truyền thống", "Lịch sử, truyền thống", "lower_secondary", "lich-su", 2),
    ("TVT", "TVT-LC-04", "Tủ sách khoa học phổ thông", "Khoa học", "primary", "khoa-hoc", 2),
    ("TVH-157", "TVH157-LC-01", "Tủ sách văn hóa Mường", "Văn hóa dân tộc Mường", "", "muong", 2),
    ("TVH-156", "TVH156-LC-01", "Tủ sách thiếu nhi Mai Châu", "Văn học thiếu nhi", "primary", "thieu-nhi-2", 2),
    ("TVH-148", "TVH148-LC-01", "Tủ sách thiếu nhi thành phố", "Văn học thế giới", "primary", "thieu-nhi-2", 3),
    # At the library, being put together: their staff add and correct items in the portal.
    ("TVT", "TVT-LC-05", "Tủ sách kỹ năng sống – bổ sung 2026", "Kỹ năng sống", "lower_secondary", "ky-nang", 1),
    ("TVH-157", "TVH157-LC-02", "Tủ sách thiếu nhi Lạc Sơn", "Văn học thiếu nhi", "primary", "thieu-nhi", 2),
]


def isbn13(n: int) -> str:
    """A valid ISBN-13 in Vietnam's 978-604 range (check digit computed)."""
    body = f"978604{n:06d}"
    return body + ean.calc_check_digit(body)


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _librarian(slug: str) -> User | None:
    return User.objects.filter(username=f"tv.{slug}").select_related("organisation").first()


def _backdate(rotation: Rotation, kind: str, field: str, day: date) -> None:
    """Demo only: give a step of the past its date (services stamp the present)."""
    Rotation.objects.filter(pk=rotation.pk).update(**{field: _at(day)})
    RotationEvent.objects.filter(rotation=rotation, kind=kind).update(at=_at(day))


def _run(
    collection,
    librarian,
    owner_user,
    *,
    dispatch: date,
    until: str,
    due: date | None = None,
    received: date | None = None,
    missing: tuple = (),
    returned: date | None = None,
    checked: date | None = None,
    lost: tuple = (),
    damaged: tuple = (),
) -> Rotation | None:
    if librarian is None or owner_user is None:
        return None
    rotation = services.rotation_plan(
        collection=collection,
        school_library=librarian.organisation,
        planned_dispatch_date=dispatch,
        due_date=due,
        by=owner_user,
    )
    _backdate(rotation, RotationEvent.Kind.PLANNED, "created_at", dispatch - timedelta(days=7))
    if until == "planned":
        return rotation
    if until == "cancelled":
        return services.rotation_cancel(rotation=rotation, by=owner_user, note="Trường đề nghị lùi sang học kỳ sau.")
    rotation = services.rotation_dispatch(rotation=rotation, by=owner_user)
    _backdate(rotation, RotationEvent.Kind.DISPATCHED, "dispatched_at", dispatch)
    if until == "dispatched":
        return rotation
    lines = list(rotation.lines.order_by("position"))
    counts = {line.pk: (0 if line.position in missing else line.copies_sent) for line in lines}
    rotation = services.rotation_receive(rotation=rotation, by=librarian, received=counts)
    _backdate(rotation, RotationEvent.Kind.RECEIVED, "received_at", received or dispatch + timedelta(days=2))
    if until == "received":
        return rotation
    rotation = services.rotation_return(rotation=rotation, by=librarian)
    _backdate(rotation, RotationEvent.Kind.RETURNED, "returned_at", returned or rotation.due_date - timedelta(days=3))
    if until == "returned":
        return rotation
    results = {}
    for line in lines:
        got = counts[line.pk]
        n_lost = line.copies_sent - got + (1 if line.position in lost else 0)
        n_damaged = 1 if line.position in damaged else 0
        results[line.pk] = (line.copies_sent - n_lost - n_damaged, n_lost, n_damaged)
    rotation = services.rotation_check(rotation=rotation, by=owner_user, results=results)
    _backdate(rotation, RotationEvent.Kind.CHECKED, "checked_at", checked or rotation.due_date)
    return rotation


@transaction.atomic
def seed(stdout=None) -> dict:
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1  # current school year starts in September
    orgs = {o.code: o for o in Organisation.objects.filter(code__in={c[0] for c in COLLECTIONS})}
    owners = {
        "TVT": User.objects.filter(username="thuvien").first(),
        "TVH-157": User.objects.filter(username="ttvh.lac-son").first(),
        "TVH-156": User.objects.filter(username="ttvh.mai-chau").first(),
        "TVH-148": User.objects.filter(username="ttvh.hoa-binh").first(),
    }
    created: dict[str, RotatingCollection] = {}
    number = 0
    for owner_code, code, name, theme, level, book_set, copies in COLLECTIONS:
        number += 100
        owner = orgs.get(owner_code)
        if owner is None:
            continue
        collection, is_new = RotatingCollection.objects.get_or_create(
            owner=owner,
            code=code,
            defaults={
                "name": name,
                "theme": theme,
                "target_level": level,
                "created_by": owners.get(owner_code),
                "description": f"Bộ sách luân chuyển của {owner.name}, chủ đề {theme.lower()}.",
            },
        )
        if not is_new:
            continue
        prefix = code.replace("-LC-", "-")
        for index, (title, authors, publisher, pub_year, call) in enumerate(BOOKS[book_set], start=1):
            Item.objects.create(
                library=owner,
                collection=collection,
                title=title,
                authors=authors,
                publisher=publisher,
                year=pub_year,
                isbn=isbn13(number + index),
                call_number=call,
                barcode=f"{prefix}-{index:04d}",
                copies=copies,
                condition=Item.Condition.GOOD if index % 4 else Item.Condition.NEW,
            )
        created[code] = collection

    lib = {
        slug: _librarian(slug)
        for slug in (
            "lac-son",
            "cao-phong",
            "tan-lac",
            "kim-boi",
            "yen-thuy",
            "lac-thuy",
            "da-bac",
            "luong-son",
            "mai-chau",
            "hoa-binh",
        )
    }
    rotations = 0

    def run(code, slug, owner_key, **kwargs):
        nonlocal rotations
        if code in created and _run(created[code], lib[slug], owners[owner_key], **kwargs) is not None:
            rotations += 1

    y2, y1 = year - 2, year - 1  # two past school years
    # TVT-LC-01: Lạc Sơn two years ago, Cao Phong last year (returned with a loss), Lạc Sơn now (to confirm).
    run("TVT-LC-01", "lac-son", "TVT", dispatch=date(y2, 10, 7), until="closed")
    run("TVT-LC-01", "cao-phong", "TVT", dispatch=date(y1, 10, 6), until="closed", lost=(2,), damaged=(5,))
    run("TVT-LC-01", "lac-son", "TVT", dispatch=today - timedelta(days=3), until="dispatched")
    # TVT-LC-02: Đà Bắc, Lương Sơn in the past; now at Tân Lạc and overdue.
    run("TVT-LC-02", "da-bac", "TVT", dispatch=date(y2, 11, 4), until="closed")
    run("TVT-LC-02", "luong-son", "TVT", dispatch=date(y1, 2, 17), until="closed", damaged=(1,))
    run(
        "TVT-LC-02",
        "tan-lac",
        "TVT",
        dispatch=today - timedelta(days=80),
        due=today - timedelta(days=8),
        until="received",
    )
    # TVT-LC-03: received at Kim Bôi with two titles missing.
    run("TVT-LC-03", "kim-boi", "TVT", dispatch=today - timedelta(days=40), until="received", missing=(2, 5))
    # TVT-LC-04: sent back by Yên Thủy, waiting for the check; next planned for Lạc Thủy.
    run(
        "TVT-LC-04",
        "yen-thuy",
        "TVT",
        dispatch=today - timedelta(days=75),
        due=today - timedelta(days=2),
        until="returned",
        returned=today - timedelta(days=4),
    )
    run("TVT-LC-04", "lac-thuy", "TVT", dispatch=today + timedelta(days=10), until="planned")
    # District libraries.
    run("TVH156-LC-01", "mai-chau", "TVH-156", dispatch=date(y1, 9, 15), until="closed", lost=(3,))
    run("TVH156-LC-01", "mai-chau", "TVH-156", dispatch=date(year, 3, 2), until="cancelled")
    run("TVH148-LC-01", "hoa-binh", "TVH-148", dispatch=date(y2, 9, 20), until="closed")
    run("TVH148-LC-01", "hoa-binh", "TVH-148", dispatch=today - timedelta(days=2), until="dispatched")

    # A route for the Mường collection through Lạc Sơn's schools this school year.
    muong = created.get("TVH157-LC-01")
    ttvh = owners["TVH-157"]
    if muong is not None and ttvh is not None and lib["lac-son"] is not None:
        stage_libraries = [lib["lac-son"].organisation] + list(
            Organisation.objects.filter(kind=Organisation.Kind.SCHOOL_LIBRARY, district=muong.owner.district)
            .exclude(pk=lib["lac-son"].organisation_id)
            .order_by("code")[:2]
        )
        start = today - timedelta(days=50)
        route = services.route_create(
            collection=muong,
            name=f"Lộ trình văn hóa Mường năm học {year}-{year + 1}",
            school_year=f"{year}-{year + 1}",
            start_date=start,
            stages=[(library, 60) for library in stage_libraries],
            by=ttvh,
        )
        first = _run(muong, lib["lac-son"], ttvh, dispatch=start, due=start + timedelta(days=60), until="received")
        RouteStage.objects.filter(route=route, position=1).update(rotation=first, proposed_at=_at(start, 7))
        rotations += 1
    _legacy_import(owners.get("TVH-157"))
    if stdout:
        stdout.write(
            f"  circulation: {RotatingCollection.objects.count()} collections, {Item.objects.count()} items, "
            f"{Rotation.objects.count()} rotations, {Route.objects.count()} routes"
        )
    return {"collections": len(created), "rotations": rotations}


# Two records exported from an old district library system in TCVN3 (ABC), as the bytes
# arrive (one character per byte); the preview recognises the encoding.
LEGACY_RECORDS = [
    ("TruyÖn cæ tÝch ViÖt Nam", "NguyÔn §æng Chi", "Kim §ång"),
    ("DÕ MÌn phiªu l\xadu ký", "T« Hoµi", "Kim §ång"),
]


def _legacy_import(by) -> None:
    """A pending import of Lạc Sơn's district library from a TCVN3 file, shown converted with a
    note on each row, waiting for the librarian to confirm."""
    from pymarc import Field, Indicators, Record, Subfield

    from . import services
    from .models import ImportBatch

    collection = next(
        (
            c
            for c in RotatingCollection.objects.filter(owner__code="TVH-157").order_by("pk")
            if not services._collection_is_out(c)
        ),
        None,
    )
    if by is None or collection is None or ImportBatch.objects.filter(filename="kho-sach-cu-tcvn3.mrc").exists():
        return
    data = b""
    for number, (title, author, publisher) in enumerate(LEGACY_RECORDS, start=1):
        record = Record(to_unicode=False, force_utf8=False)
        record.add_field(Field(tag="245", indicators=Indicators("1", "0"), subfields=[Subfield("a", title)]))
        record.add_field(Field(tag="100", indicators=Indicators("1", " "), subfields=[Subfield("a", author)]))
        record.add_field(
            Field(
                tag="260",
                indicators=Indicators(" ", " "),
                subfields=[Subfield("a", "Hµ Néi"), Subfield("b", publisher), Subfield("c", "2018")],
            )
        )
        record.add_field(
            Field(tag="952", indicators=Indicators(" ", " "), subfields=[Subfield("p", f"LS-CU-{number:03d}")])
        )
        data += record.as_marc()
    services.import_preview(collection=collection, uploaded=data, filename="kho-sach-cu-tcvn3.mrc", by=by)
