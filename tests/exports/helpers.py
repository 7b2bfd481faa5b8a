import io

import openpyxl
import pypdf


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(content(response)))


def sheet_texts(ws) -> list[str]:
    return [str(cell.value) for row in ws.iter_rows() for cell in row if cell.value is not None]


def all_texts(wb) -> str:
    return "\n".join(text for ws in wb.worksheets for text in sheet_texts(ws))


def pdf(response):
    return pypdf.PdfReader(io.BytesIO(content(response)))


def pdf_text(reader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)
