"""HTML → PDF for any part of the portal (WeasyPrint), with the vendored Sarabun embedded.

    pdf_bytes = render_pdf("reports/exports/consolidated.html", context, request=request)

The template extends ``pdf/base.html``: A4 landscape (or portrait, with the ``portrait`` block), a page footer
"หน้า X / Y", the fonts of ``static/css/pdf.css``. Each Sarabun subset (Thai, Latin) has its own family name
there: when both shared one name, WeasyPrint embedded only one of them and every line mixing Thai with Latin
letters, digits or URLs printed garbage. The same template renders as print-ready HTML in a browser
(``render_print_html``), with the same fonts.

Resources (stylesheets, fonts, images) are read from the portal's static files only; nothing is fetched over
the network, so a user's evidence URL in a document can never make the server fetch it.

WeasyPrint is imported on first use: the portal starts without it (or without Pango), and only a PDF URL fails,
with ``PDFUnavailable`` (views answer 503 with a Thai message: ``pdf_unavailable_response``).

Thai digits: ``?digits=thai`` asks for them (``thai_digits_requested``); templates pass the flag to the
``digits`` filter of ``{% load pdf %}`` for official text, and the page footer counts in Thai digits.
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from measures.thaidate import to_thai_digits
from satun_ita import pdf_thai

__all__ = [
    "PDFUnavailable",
    "pdf_response",
    "pdf_unavailable_response",
    "render_pdf",
    "render_print_html",
    "thai_digits_requested",
    "to_thai_digits",
]


class PDFUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library it needs) is not installed on this server."""


def thai_digits_requested(request) -> bool:
    """Whether the address asks for Thai digits (``?digits=thai``)."""
    return request is not None and request.GET.get("digits") == "thai"


def _context(context: dict, request, *, for_pdf: bool) -> dict:
    return {"thai_digits": thai_digits_requested(request), **context, "for_pdf": for_pdf}


def render_print_html(template_name: str, context: dict, *, request) -> str:
    """The document as print-ready HTML (the browser's print gives the same pages as the PDF)."""
    return render_to_string(template_name, _context(context, request, for_pdf=False), request=request)


def render_pdf(template_name: str, context: dict, *, request=None, base_url: str | None = None) -> bytes:
    """Render `template_name` with `context` and return the PDF's bytes.

    Links in the document are made absolute against `base_url`, by default the request's own address (or
    ``SITE_URL`` without a request, e.g. in a background job). Raises ``PDFUnavailable`` without WeasyPrint.
    """
    weasyprint = _weasyprint()
    if base_url is None:
        base_url = (
            request.build_absolute_uri("/") if request is not None else settings.SITE_URL.rstrip("/") + "/"
        )
    html = render_to_string(template_name, _context(context, request, for_pdf=True), request=request)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_static_fetcher(base_url))
    return document.write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_unavailable_response(request) -> HttpResponse:
    """503 with a Thai explanation, for a server without WeasyPrint."""
    return HttpResponse(
        _(
            "PDF files cannot be made on this server: the WeasyPrint library (and Pango) is not installed. "
            "The XLSX file and the print page work; ask the administrator to install WeasyPrint."
        ),
        status=503,
        content_type="text/plain; charset=utf-8",
    )


def _weasyprint():
    try:
        import weasyprint  # noqa: PLC0415 - imported on first use, so the portal runs without it
        import weasyprint.pdf  # noqa: PLC0415
    except (ImportError, OSError) as error:  # OSError: WeasyPrint is there but Pango is not
        raise PDFUnavailable(str(error)) from error
    _hook_text_maps(weasyprint.pdf)
    return weasyprint


def _hook_text_maps(weasyprint_pdf) -> None:
    """Have WeasyPrint correct its glyph → text maps (satun_ita/pdf_thai.py) just before writing the fonts.

    WeasyPrint offers no hook there; this wraps the one function that writes them (WeasyPrint is pinned, and
    tests/test_pdf.py reads Thai text back from a PDF, so a change inside WeasyPrint shows at once).
    """
    original = weasyprint_pdf.build_fonts_dictionary
    if getattr(original, "fixes_thai_text", False):
        return

    def build_fonts_dictionary(pdf, fonts, *args, **kwargs):
        pdf_thai.fix_text_maps(fonts)
        return original(pdf, fonts, *args, **kwargs)

    build_fonts_dictionary.fixes_thai_text = True
    weasyprint_pdf.build_fonts_dictionary = build_fonts_dictionary


def _static_fetcher(base_url: str):
    """A WeasyPrint URL fetcher that reads the portal's static files from disk and refuses anything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    base = urlsplit(base_url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(
                static_prefix
            ):
                raise ValueError(f"Only the portal's static files are read into a PDF, not {url}")
            name = posixpath.normpath(unquote(parts.path[len(static_prefix) :]))
            if name.startswith(("..", "/")):
                raise ValueError(f"Not a static file: {url}")
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            body = _read_static(name)
            if name.endswith((".woff", ".ttf", ".otf")):
                body = pdf_thai.thai_font(body)
                content_type = "font/ttf"
            return URLFetcherResponse(url, body, headers={"Content-Type": content_type})

    return StaticFilesFetcher()


def _read_static(name: str) -> bytes:
    """A static file's bytes: from the source tree, else the collected files (hashed names in production)."""
    path = finders.find(name)
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    raise ValueError(f"No static file {name}")
