"""A school librarian in Lạc Sơn checks a rotating collection on arrival with the phone's
camera: Chromium's fake camera plays barcodes drawn by zxing-cpp in the test, the page decodes
them with the portal's own copy of @zxing/browser and ticks the packing list; a photo of an
ISBN, a hand-held scanner (typing + Enter) and a code from another library behave as the
librarian expects; the receipt that is confirmed records the unscanned title as missing."""

import datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from stdnum import isbn as stdnum_isbn

from circulation import services
from circulation.models import Rotation
from directory.models import User
from tests.circulation.factories import collection_with_items
from tests.conftest import org
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PHONE = {"width": 360, "height": 740}
UNKNOWN = "TV999999"  # a barcode of another library's book: not on this packing list


def barcode_image(text: str, fmt, size=(640, 480)) -> Image.Image:
    symbol = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, fmt), scale=3)
    view = memoryview(symbol)
    code = Image.frombytes("L", (view.shape[1], view.shape[0]), view.tobytes())
    frame = Image.new("L", size, 255)
    frame.paste(code, ((size[0] - code.width) // 2, (size[1] - code.height) // 2))
    return frame


def write_y4m(path: Path, images: list[Image.Image], frames_each: int = 12, fps: int = 10) -> None:
    """A raw video Chromium's fake camera can play, looping over the given pictures."""
    width, height = images[0].size
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for image in images:
            y, u, v = image.convert("RGB").convert("YCbCr").split()
            planes = y.tobytes() + u.resize((width // 2, height // 2)).tobytes()
            planes += v.resize((width // 2, height // 2)).tobytes()
            for _i in range(frames_each):
                out.write(b"FRAME\n" + planes)


@pytest.fixture
def rotation(reference_data):
    from directory.services import school_library_ensure
    from tests.factories import SchoolFactory

    thuvien = UserFactory(username="thuvien", role=User.Role.FOCAL_OFFICER, organisation=org("TVT"))
    school = SchoolFactory(name="Trường Tiểu học Vụ Bản", code="TH-157-01", parent=org("GDDT-157"))
    library = school_library_ensure(school=school)
    UserFactory(username="tv.lac-son", full_name="Xa Thị Oanh", role=User.Role.SCHOOL_LIBRARIAN, organisation=library)
    collection = collection_with_items(3, copies=2)
    planned = services.rotation_plan(
        collection=collection, school_library=library, planned_dispatch_date=datetime.date.today(), by=thuvien
    )
    return services.rotation_dispatch(rotation=planned, by=thuvien)


@pytest.fixture
def camera_phone(browser, live_server, rotation, tmp_path):
    first = rotation.lines.select_related("item").get(position=1)
    video = tmp_path / "camera.y4m"
    write_y4m(
        video,
        [
            barcode_image(first.barcode, zxingcpp.BarcodeFormat.Code128),
            barcode_image(UNKNOWN, zxingcpp.BarcodeFormat.Code128),
        ],
    )
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context = camera.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.grant_permissions(["camera"], origin=live_server.url)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()
    camera.close()


def test_scanning_ticks_the_packing_list_and_refuses_an_unknown_code(camera_phone, rotation, tmp_path):
    page = camera_phone
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    lines = list(rotation.lines.select_related("item").order_by("position"))
    login(page, "tv.lac-son")
    page.goto(f"/circulation/rotations/{rotation.pk}/receive/")
    scanner = page.get_by_test_id("scanner")
    assert "Đã quét 0/3" in scanner.inner_text()

    # The camera sees line 1's barcode, then a code that is not on the list, again and again.
    page.get_by_test_id("camera-start").click()
    page.get_by_test_id("scan-result").filter(has_text=lines[0].title).wait_for()
    page.get_by_test_id("scan-result").filter(has_text=f"Mã “{UNKNOWN}” không có trong danh mục").wait_for()
    page.wait_for_timeout(3000)  # the loop has shown line 1 again by now: still counted once
    assert page.get_by_test_id("scan-count").inner_text() == "Đã quét 1/3"
    assert "is-scanned" in page.get_by_test_id("line-1").get_attribute("class")
    assert page.locator(".receive-line.is-scanned").count() == 1
    page.screenshot(path=str(SHOTS / "scanner-camera-360.png"))
    page.get_by_role("button", name="Tắt camera").click()

    # A photo of the ISBN on line 2's cover (EAN-13), as a phone without live camera would send it.
    photo = tmp_path / "isbn.png"
    barcode_image(lines[1].item.isbn, zxingcpp.BarcodeFormat.EAN13).save(photo)
    page.get_by_test_id("scan-photo").set_input_files(str(photo))
    page.get_by_test_id("scan-result").filter(has_text=lines[1].title).wait_for()
    assert page.get_by_test_id("scan-count").inner_text() == "Đã quét 2/3"

    # A hand-held scanner types the code and Enter: the ISBN-10 of line 2, already ticked.
    page.get_by_test_id("scan-code").type(stdnum_isbn.to_isbn10(lines[1].item.isbn) + "\n")
    page.get_by_test_id("scan-result").filter(has_text="đã được quét rồi").wait_for()
    page.get_by_test_id("scan-code").fill(UNKNOWN)
    page.get_by_test_id("scan-code").press("Enter")
    page.get_by_test_id("scan-result").filter(has_text=UNKNOWN).wait_for()
    assert page.get_by_test_id("scan-count").inner_text() == "Đã quét 2/3"
    assert "is-scanned" not in page.get_by_test_id("line-3").get_attribute("class")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "scanner-360.png"), full_page=True)

    # Ticks survive a reload until the receipt is confirmed.
    page.reload()
    assert page.get_by_test_id("scan-count").inner_text() == "Đã quét 2/3"

    page.get_by_test_id("mark-unscanned").click()
    assert page.get_by_test_id("received-3").input_value() == "0"
    assert page.get_by_test_id("received-1").input_value() == "2"
    page.get_by_role("button", name="Xác nhận theo danh mục").click()
    page.get_by_text("Đã xác nhận nhận sách.").wait_for()
    rotation.refresh_from_db()
    assert rotation.status == Rotation.Status.RECEIVED
    received = dict(rotation.lines.values_list("position", "copies_received"))
    assert received == {1: 2, 2: 2, 3: 0}
    assert problems == []  # no CSP refusal of the decoder


def test_receipt_by_counts_still_works_on_a_phone(page, rotation):
    page.set_viewport_size(PHONE)
    login(page, "tv.lac-son")
    page.goto(f"/circulation/rotations/{rotation.pk}/receive/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.get_by_label("Tổng số bản đã nhận").get_attribute("inputmode") == "numeric"
    page.get_by_label("Tổng số bản đã nhận").fill("6")
    page.get_by_role("button", name="Xác nhận theo tổng số").click()
    page.get_by_text("Đã xác nhận nhận sách.").wait_for()
    rotation.refresh_from_db()
    assert (rotation.status, rotation.copies_received) == (Rotation.Status.RECEIVED, 6)
