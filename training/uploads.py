"""What a guidance document file may be: PDF, Word, Excel or PowerPoint (Office Open XML),
checked by name AND by content, so a renamed executable or a legacy .doc is refused."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_GUIDANCE_SIZE = 20 * 1024 * 1024

# extension -> (label shown to people, the part every such file contains; None for PDF)
GUIDANCE_TYPES = {
    ".pdf": ("PDF", None),
    ".docx": ("Word (.docx)", "word/document.xml"),
    ".xlsx": ("Excel (.xlsx)", "xl/workbook.xml"),
    ".pptx": ("PowerPoint (.pptx)", "ppt/presentation.xml"),
}


def _extension(name: str) -> str:
    name = (name or "").lower()
    return name[name.rfind(".") :] if "." in name else ""


def check_guidance_file(upload) -> None:
    """Raise ValidationError (Vietnamese) unless `upload` is a PDF, DOCX, XLSX or PPTX of at
    most 20 MB whose content matches its extension. Leaves the file at position 0."""
    if upload is None:
        raise ValidationError(_("Hãy chọn tệp tài liệu."))
    extension = _extension(upload.name)
    if extension not in GUIDANCE_TYPES:
        raise ValidationError(
            _("Tệp “%(name)s” không được chấp nhận: chỉ nhận PDF, Word (.docx), Excel (.xlsx) hoặc PowerPoint (.pptx).")
            % {"name": upload.name}
        )
    if not upload.size:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": upload.name})
    if upload.size > MAX_GUIDANCE_SIZE:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size).1f MB); tối đa 20 MB.")
            % {"name": upload.name, "size": upload.size / 1024 / 1024}
        )
    label, main_part = GUIDANCE_TYPES[extension]
    upload.seek(0)
    try:
        if main_part is None:
            genuine = upload.read(5) == b"%PDF-"
        else:
            try:
                with zipfile.ZipFile(upload) as archive:
                    names = set(archive.namelist())
                genuine = "[Content_Types].xml" in names and main_part in names
            except (zipfile.BadZipFile, OSError, ValueError):
                genuine = False
    finally:
        upload.seek(0)
    if not genuine:
        raise ValidationError(
            _("Nội dung tệp “%(name)s” không phải là tệp %(type)s hợp lệ.") % {"name": upload.name, "type": label}
        )
