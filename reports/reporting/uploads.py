"""Checks on uploaded evidence files: what a file *is* comes from its content, not from its name.

Accepted: PDF, JPEG, PNG, DOCX, XLSX, ODT and ODS, at most `settings.EVIDENCE_MAX_UPLOAD_MB` each.

- PDF, JPEG and PNG are recognised by their magic bytes.
- The office formats are zip files: OOXML (DOCX/XLSX) has a `[Content_Types].xml` member and a `word/` or
  `xl/` folder; ODF (ODT/ODS) has a `mimetype` member naming its type. Macro-enabled OOXML is refused.
- The file name's extension must agree with the content (a PNG called `report.pdf` is refused).

No model dependency: `check_upload()` takes a Django UploadedFile and returns the canonical content type
or raises ValidationError with a message in the user's language.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileKind("PDF", "application/pdf", (".pdf",))
JPEG = FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileKind("PNG", "image/png", (".png",))
DOCX = FileKind("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileKind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
ODT = FileKind("ODT", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileKind("ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
KINDS = (PDF, JPEG, PNG, DOCX, XLSX, ODT, ODS)
KIND_BY_EXTENSION = {ext: kind for kind in KINDS for ext in kind.extensions}
ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
# How much of [Content_Types].xml is read to look for macros: it is a few kilobytes in real files.
CONTENT_TYPES_READ_LIMIT = 256 * 1024
# Office and LibreOffice store members deflated or as they are. Only these are read: Python's zipfile inflates
# bzip2 and LZMA members a whole read chunk at a time, however large they grow (a zip bomb of a few hundred
# bytes held gigabytes), while a deflated member is inflated no further than the bytes asked for.
READABLE_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

# The <input accept> hint for browsers; the server never trusts it.
ACCEPT = ",".join(ext for kind in KINDS for ext in kind.extensions)


def max_upload_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_UPLOAD_MB", 10)) * 1024 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """The first of FILE_UPLOAD_HANDLERS: no file is kept (in memory or a temporary file) beyond the limit.

    Django hands a whole upload to the next handlers, which spool it to memory or to a temporary file, before
    any form sees its size, so without this a 5 GB "evidence" file fills the server's temporary disk (the
    CSRF check reads a multipart body too, so even a signed-out visitor could). Once a file passes the limit
    its further bytes are dropped and counted, and the file reaches the form as an empty stand-in that knows
    its real size, so `check_upload` refuses it with the usual "too large" message. The evidence form is the
    portal's only upload, so its limit is the limit.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = max_upload_bytes()
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        if self.too_large or start + len(raw_data) > self.limit:
            self.too_large = True
            return None  # the handlers after this one get nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if not self.too_large:
            return None  # the next handler returns the file it kept
        for handler in self.request.upload_handlers:
            if handler is not self:
                handler.upload_interrupted()  # drop the part they kept (a temporary file is deleted)
        return InMemoryUploadedFile(
            io.BytesIO(), self.field_name, self.file_name, self.content_type, file_size, self.charset
        )


def allowed_label() -> str:
    return ", ".join(kind.label for kind in KINDS)


def sniff(fileobj) -> FileKind | None:
    """What the content is, judged by its first bytes (and, for zip files, their members); None if unknown."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(PNG_SIGNATURE):
        return PNG
    if head.startswith(ZIP_SIGNATURE):
        try:
            return _sniff_zip(fileobj)
        finally:
            fileobj.seek(0)
    return None


def _sniff_zip(fileobj) -> FileKind | None:
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        names = list(members)
        for name in ("mimetype", "[Content_Types].xml"):
            if name in members and members[name].compress_type not in READABLE_COMPRESSION:
                return None
        if "mimetype" in names:
            # ODF: the first member, stored uncompressed, names the document type.
            try:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100).decode("ascii", "replace").strip()
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                return None
            return ODF_MIMETYPES.get(mimetype)
        if "[Content_Types].xml" in names:
            try:
                with archive.open("[Content_Types].xml") as member:
                    content_types = member.read(CONTENT_TYPES_READ_LIMIT)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                return None
            # A VBA project is a macro however the content types are padded (only the start of them is read).
            if b"macroenabled" in content_types.lower() or any(
                name.lower().endswith("vbaproject.bin") for name in names
            ):
                return None
            if any(name.startswith("word/") for name in names):
                return DOCX
            if any(name.startswith("xl/") for name in names):
                return XLSX
    return None


def check_upload(uploaded) -> str:
    """Validate an uploaded evidence file; return its canonical content type or raise ValidationError."""
    limit_mb = int(getattr(settings, "EVIDENCE_MAX_UPLOAD_MB", 10))
    if uploaded.size is not None and uploaded.size > max_upload_bytes():
        raise ValidationError(
            _("The file is too large (%(size)s MB). Files may be at most %(limit)s MB.")
            % {"size": f"{uploaded.size / (1024 * 1024):.1f}", "limit": limit_mb},
            code="too_large",
        )
    if not uploaded.size:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = PurePath(uploaded.name or "").suffix.lower()
    expected = KIND_BY_EXTENSION.get(extension)
    if expected is None:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed types: %(allowed)s.")
            % {"allowed": allowed_label()},
            code="bad_extension",
        )
    actual = sniff(uploaded)
    if actual is None:
        raise ValidationError(
            _(
                "The content of this file is not a valid %(expected)s file. Allowed types: %(allowed)s "
                "(macro-enabled documents are not accepted)."
            )
            % {"expected": expected.label, "allowed": allowed_label()},
            code="bad_content",
        )
    if actual is not expected:
        raise ValidationError(
            _(
                "The file name ends in %(extension)s but the content is a %(actual)s file. "
                "Rename the file or choose the right one."
            )
            % {"extension": extension, "actual": actual.label},
            code="extension_mismatch",
        )
    return actual.content_type
