"""Private uploads: stored under random names, served only through access-checked views.

An uploaded file never keeps its name on disk (a name can carry personal data, collide, or
be guessed) and is never reachable from `MEDIA_URL`: the URL configuration serves nothing
under `/media/`, in DEBUG neither. Each file belongs to a page (an activity, a meeting, a
course …); the view that downloads it fetches that page's object through the same access
helper as the page, then calls `private_file_response`, which hands the bytes to nginx by
`X-Accel-Redirect` in production (django-sendfile2's nginx backend, `SENDFILE_URL`
`/_private/`, an `internal` location) and streams them itself in development.
"""

import secrets
import unicodedata
from pathlib import PurePosixPath

from django.http import Http404
from django.utils.deconstruct import deconstructible
from django_sendfile import sendfile

MAX_ORIGINAL_NAME = 200


def clean_original_name(name: str) -> str:
    """The name a person gave the file, safe to show and to put in a header: the last path
    part only, NFC, without control or bidirectional-override characters, at most 200
    characters (extension kept)."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > MAX_ORIGINAL_NAME:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: MAX_ORIGINAL_NAME - len(suffix)] + suffix
    return name or "tep"


def _safe_extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if 1 < len(suffix) <= 8 and suffix[1:].isalnum() and suffix.isascii() else ""


def random_stored_name(prefix: str, original: str) -> str:
    """`<prefix>/<32 random hex digits><.ext>`: nothing of the original name but a plain
    extension, so the file keeps its type for the operating system and nginx."""
    return f"{prefix.strip('/')}/{secrets.token_hex(16)}{_safe_extension(original)}"


@deconstructible
class PrivateUpload:
    """`upload_to` for every FileField: a random stored name under `prefix`, the original
    name written to the model's `name_field` (declared after the file field, so it is saved
    in the same row write, whichever form, service or admin page did the upload)."""

    def __init__(self, prefix: str, name_field: str):
        self.prefix = prefix
        self.name_field = name_field

    def __call__(self, instance, filename: str) -> str:
        setattr(instance, self.name_field, clean_original_name(filename))
        return random_stored_name(self.prefix, filename)

    def __eq__(self, other):
        return isinstance(other, PrivateUpload) and (self.prefix, self.name_field) == (other.prefix, other.name_field)


def private_file_response(request, fieldfile, *, original_name: str = ""):
    """The download of a stored file, as an attachment under its original name. 404 when
    the field is empty or the file is missing. The caller has already checked access."""
    if not fieldfile or not fieldfile.name:
        raise Http404
    try:
        path = fieldfile.path
    except (NotImplementedError, ValueError) as exc:  # a storage without paths
        raise Http404 from exc
    name = clean_original_name(original_name or fieldfile.name)
    response = sendfile(request, path, attachment=True, attachment_filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def move_to_random_name(storage, name: str, prefix: str) -> tuple[str, str]:
    """Move one stored file to a random name under `prefix`; returns (new name, original
    name). Used by the migrations that took existing uploads off their public names; a file
    that is already gone keeps its row (the download then answers 404)."""
    original = clean_original_name(name)
    if not name or not storage.exists(name):
        return name, original
    new_name = random_stored_name(prefix, name)
    with storage.open(name, "rb") as handle:
        new_name = storage.save(new_name, handle)
    storage.delete(name)
    return new_name, original
