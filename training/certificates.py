"""The printable certificate: an A4 landscape PDF in Vietnamese (DejaVu fonts carry every
diacritic) with a QR code that opens the public verification page."""

import io
import logging
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Certificate

FONTS = Path(settings.BASE_DIR) / "core" / "fonts"
# fpdf2 subsets the fonts with fontTools, which logs every table at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('training:verify', args=[code])}"


def qr_png(data: str, *, box_size: int = 10) -> bytes:
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4)
    qr.add_data(data)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def _date(d) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def render_pdf(certificate: Certificate) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(_("Giấy chứng nhận %(code)s") % {"code": certificate.code})
    pdf.set_author(certificate.issuer_name)
    pdf.add_font("DejaVuSerif", "", str(FONTS / "DejaVuSerif.ttf"))
    pdf.add_font("DejaVuSerif", "B", str(FONTS / "DejaVuSerif-Bold.ttf"))
    pdf.add_font("DejaVuSerif", "I", str(FONTS / "DejaVuSerif-Italic.ttf"))
    pdf.add_font("DejaVuSans", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVuSans", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    width = pdf.w

    # A double frame in the portal's green.
    pdf.set_draw_color(22, 101, 52)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, width - 16, pdf.h - 16)
    pdf.set_line_width(0.4)
    pdf.rect(11, 11, width - 22, pdf.h - 22)

    pdf.set_text_color(20, 20, 20)
    pdf.set_font("DejaVuSans", "B", 11)
    pdf.set_xy(15, 16)
    pdf.cell(width / 2 - 20, 6, certificate.issuer_name.upper()[:70], align="C")
    pdf.set_xy(width / 2, 16)
    pdf.cell(width / 2 - 15, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    pdf.set_font("DejaVuSans", "B", 10)
    pdf.set_xy(width / 2, 22)
    pdf.cell(width / 2 - 15, 6, "Độc lập – Tự do – Hạnh phúc", align="C")

    pdf.set_text_color(22, 101, 52)
    pdf.set_font("DejaVuSerif", "B", 30)
    pdf.set_xy(15, 44)
    pdf.cell(width - 30, 14, _("GIẤY CHỨNG NHẬN"), align="C")
    pdf.set_text_color(20, 20, 20)
    pdf.set_font("DejaVuSerif", "I", 13)
    pdf.set_xy(15, 60)
    pdf.cell(width - 30, 8, _("Hoàn thành khóa đào tạo, bồi dưỡng"), align="C")

    pdf.set_font("DejaVuSerif", "", 13)
    pdf.set_xy(15, 76)
    pdf.cell(width - 30, 8, _("Chứng nhận Ông/Bà:"), align="C")
    pdf.set_font("DejaVuSerif", "B", 22)
    pdf.set_xy(15, 85)
    pdf.cell(width - 30, 12, certificate.holder_name, align="C")
    if certificate.holder_organisation:
        pdf.set_font("DejaVuSerif", "", 12)
        pdf.set_xy(15, 98)
        pdf.cell(width - 30, 7, _("Đơn vị công tác: %(org)s") % {"org": certificate.holder_organisation}, align="C")

    pdf.set_font("DejaVuSerif", "", 13)
    pdf.set_xy(15, 110)
    pdf.cell(width - 30, 8, _("Đã hoàn thành khóa học"), align="C")
    pdf.set_font("DejaVuSerif", "B", 15)
    pdf.set_xy(30, 119)
    pdf.multi_cell(width - 60, 8, f"“{certificate.course_title}”", align="C")
    pdf.set_font("DejaVuSerif", "", 12)
    pdf.set_xy(15, pdf.get_y() + 2)
    pdf.cell(
        width - 30,
        7,
        _("Thời gian: từ ngày %(a)s đến ngày %(b)s")
        % {"a": _date(certificate.course_start), "b": _date(certificate.course_end)},
        align="C",
    )

    # Bottom: QR and code on the left, date and issuer on the right.
    qr_size = 38
    pdf.image(io.BytesIO(qr_png(verification_url(certificate.code))), x=20, y=pdf.h - 20 - qr_size, w=qr_size)
    pdf.set_font("DejaVuSans", "", 9)
    pdf.set_xy(20 + qr_size + 3, pdf.h - 20 - 22)
    pdf.multi_cell(
        110,
        5,
        _("Mã xác thực: %(code)s\nKiểm tra tại: %(url)s")
        % {"code": certificate.code, "url": verification_url(certificate.code)},
        align="L",
    )
    if certificate.valid_until:
        pdf.set_xy(20 + qr_size + 3, pdf.get_y())
        pdf.cell(80, 5, _("Có giá trị đến: %(d)s") % {"d": _date(certificate.valid_until)})

    right_x = width - 120
    pdf.set_font("DejaVuSerif", "I", 12)
    pdf.set_xy(right_x, pdf.h - 62)
    pdf.cell(
        100,
        7,
        _("Hòa Bình, ngày %(d)s tháng %(m)s năm %(y)s")
        % {"d": f"{certificate.issued_on:%d}", "m": f"{certificate.issued_on:%m}", "y": certificate.issued_on.year},
        align="C",
    )
    pdf.set_font("DejaVuSerif", "B", 12)
    pdf.set_xy(right_x, pdf.h - 54)
    pdf.multi_cell(100, 6, certificate.issuer_name.upper(), align="C")
    if certificate.is_revoked:
        pdf.set_text_color(200, 0, 0)
        pdf.set_font("DejaVuSans", "B", 26)
        pdf.set_xy(15, 30)
        pdf.cell(width - 30, 12, _("ĐÃ THU HỒI"), align="C")
    return bytes(pdf.output())
