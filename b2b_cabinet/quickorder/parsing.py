"""Reading "SKU quantity" lines: pasted text (from Excel or typed), .csv and .xlsx uploads.

Nothing here touches the database. Every source becomes a list of :class:`QuickLine` (or a
:class:`LineProblem` for a line that cannot be read), numbered as the buyer sees them so the
errors can say "line 12".
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from b2b_cabinet.exceptions import B2BCabinetError

#: More lines than this are refused whole: a quick order is not a catalogue import.
MAX_LINES = 5000
#: Uploads larger than this are refused before they are read.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: An .xlsx is a zip: its parts may not unpack to more than this (zip bombs).
MAX_XLSX_UNPACKED = 50 * 1024 * 1024

SKU_HEADERS = ("артикул", "sku", "код", "code", "article", "номенклатура")
QTY_HEADERS = ("количество", "кол-во", "кол.", "qty", "quantity", "шт")
_UNIT_SUFFIX = re.compile(r"\s*(шт|pcs|ед|уп|м)\.?$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


class QuickOrderError(B2BCabinetError):
    """The whole input is refused (too big, unreadable); the message is for the buyer."""


@dataclass(frozen=True)
class QuickLine:
    """One readable line: the SKU (or barcode) as typed and its quantity."""

    number: int
    sku: str
    quantity: Decimal


@dataclass(frozen=True)
class LineProblem:
    """A line that did not go to the cart, why, and what the buyer may have meant."""

    number: int
    text: str
    reason: str
    suggestions: tuple = ()


def parse_quantity(text: str) -> Decimal | None:
    """A quantity as people write it: ``15``, ``2,5``, ``1 000``, ``1.000,5``, ``12 шт``; None if unreadable."""
    text = _UNIT_SUFFIX.sub("", str(text).strip())
    text = _SPACES.sub("", text)
    if not text:
        return None
    if "," in text and "." in text:
        # Whichever comes last is the decimal mark; the other separates thousands.
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal_mark == "," else ",", "").replace(",", ".")
    elif text.count(",") > 1 or text.count(".") > 1:
        text = text.replace(",", "").replace(".", "")  # 1,000,000 or 1.000.000
    else:
        text = text.replace(",", ".")  # Russian decimal comma
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _is_header(cells: list[str]) -> bool:
    lowered = [c.strip().lower() for c in cells if c and c.strip()]
    return any(c.startswith(SKU_HEADERS) or c.startswith(QTY_HEADERS) for c in lowered)


def _columns(header: list[str]) -> tuple[int, int]:
    """Indexes of the SKU and quantity columns named in a header row (0 and 1 when unnamed)."""
    sku_col, qty_col = 0, 1
    for i, cell in enumerate(header):
        name = (cell or "").strip().lower()
        if name.startswith(SKU_HEADERS):
            sku_col = i
        elif name.startswith(QTY_HEADERS):
            qty_col = i
    return sku_col, qty_col


def lines_from_rows(rows) -> tuple[list[QuickLine], list[LineProblem]]:
    """Rows of cells (from text, CSV or a sheet) → readable lines and problems. Header rows are skipped."""
    lines: list[QuickLine] = []
    problems: list[LineProblem] = []
    sku_col, qty_col = 0, 1
    seen_data = False
    for number, row in enumerate(rows, start=1):
        cells = ["" if c is None else str(c).strip() for c in row]
        if not any(cells):
            continue
        if len(lines) + len(problems) >= MAX_LINES:
            raise QuickOrderError(_("More than %(n)d lines: split the order into several parts.") % {"n": MAX_LINES})
        sku = cells[sku_col] if sku_col < len(cells) else ""
        raw_qty = cells[qty_col] if qty_col < len(cells) else ""
        quantity = parse_quantity(raw_qty) if raw_qty else None
        if quantity is None and _is_header(cells) and not seen_data:
            sku_col, qty_col = _columns(cells)
            continue
        seen_data = True
        text = "\t".join(c for c in cells if c)
        if not sku:
            problems.append(LineProblem(number, text, _("No SKU in this line.")))
        elif not raw_qty:
            problems.append(LineProblem(number, text, _("No quantity in this line.")))
        elif quantity is None:
            problems.append(LineProblem(number, text, _("The quantity “%(q)s” is not a number.") % {"q": raw_qty}))
        elif quantity <= 0:
            problems.append(LineProblem(number, text, _("The quantity must be more than zero.")))
        else:
            lines.append(QuickLine(number, sku, quantity))
    return lines, problems


def split_line(line: str) -> list[str]:
    """One pasted line → cells: by tab (Excel), else semicolon, else the last space before the quantity."""
    if "\t" in line:
        return line.split("\t")
    if ";" in line:
        return line.split(";")
    # Typed by hand: the SKU may contain spaces, so the quantity is the last word (a non-breaking
    # space, as Excel writes "1 000", still groups thousands).
    tokens = [t for t in line.strip().split(" ") if t]
    if len(tokens) >= 3 and tokens[-1].lower().rstrip(".") in ("шт", "pcs", "ед", "уп"):
        tokens = tokens[:-1]  # "EL-1 15 шт"
    if len(tokens) < 2:
        return tokens
    return [" ".join(tokens[:-1]), tokens[-1]]


def parse_text(text: str) -> tuple[list[QuickLine], list[LineProblem]]:
    """Pasted text, one "SKU quantity" per line (tab, semicolon or space separated)."""
    raw = (text or "").splitlines()
    if len(raw) > MAX_LINES * 2:
        raise QuickOrderError(_("More than %(n)d lines: split the order into several parts.") % {"n": MAX_LINES})
    return lines_from_rows(split_line(line) for line in raw)


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else Windows-1251 (Excel's Russian default)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def parse_csv(data: bytes) -> tuple[list[QuickLine], list[LineProblem]]:
    """A .csv file; the delimiter is ``;`` (Russian Excel), tab or ``,`` — whichever the file uses."""
    text = decode_csv(data)
    sample = text[:4096]
    delimiter = ";" if ";" in sample else "\t" if "\t" in sample else ","
    return lines_from_rows(csv.reader(io.StringIO(text), delimiter=delimiter))


def parse_xlsx(data: bytes) -> tuple[list[QuickLine], list[LineProblem]]:
    """The first sheet of an .xlsx: read-only, cached values only (formulas are never evaluated)."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
                raise QuickOrderError(_("The file is too large once unpacked."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except QuickOrderError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise QuickOrderError(_("This file cannot be read as an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_row=MAX_LINES * 2, values_only=True)
        return lines_from_rows([_cell_text(c) for c in row] for row in rows)
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 15.0 from Excel is 15; an SKU typed as a number stays "123456"
    return str(value)


def parse_upload(name: str, data: bytes) -> tuple[list[QuickLine], list[LineProblem]]:
    """An uploaded file by its extension (.xlsx or .csv), within the size limit."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise QuickOrderError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20})
    lowered = (name or "").lower()
    if lowered.endswith(".xlsx"):
        return parse_xlsx(data)
    if lowered.endswith((".csv", ".txt")):
        return parse_csv(data)
    raise QuickOrderError(_("Upload an .xlsx or .csv file."))
