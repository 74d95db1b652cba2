"""One-sheet .xlsx workbooks streamed with openpyxl's write-only mode: constant memory, any row count.

The personal price list writes 150,000 rows of a dozen cells. Write-only mode keeps no cell in memory:
each appended row is serialised at once. Plain values are appended as they are (a styled
``WriteOnlyCell`` costs about twice as much), so only the header (bold) and dates (``dd.mm.yyyy``) get
cell objects. Text that XML cannot carry (control characters that 1C data sometimes has) is dropped,
where openpyxl would raise. Text starting with ``=`` stays text: openpyxl would write it as a formula,
and a product name from 1C or an editor must never become a live formula (``=HYPERLINK(…)``) in a
customer's file.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DATE_FORMAT = "dd.mm.yyyy"
# Excel's limits: 31 characters and none of these in a sheet name.
BAD_TITLE = re.compile(r"[\\*?:/\[\]]")


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: forbidden characters replaced, at most 31 characters."""
    return BAD_TITLE.sub(" ", title).strip()[:31] or "Sheet1"


def safe_text(sheet, value: str):
    """``value`` for a write-only ``sheet``: the characters XML cannot carry dropped, and a cell typed as
    text if it would otherwise be written as a formula (starts with ``=``)."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(target, title: str, header: Sequence, rows: Iterable[Sequence], *, widths: Sequence[float] = (),
               freeze: str | None = None) -> int:
    """Write a one-sheet workbook to ``target`` (a path or a binary file); returns the number of rows
    after the header. ``widths`` are column widths from column A; ``freeze`` the top-left cell of the
    scrolling area (``"C2"`` keeps the header row and two columns in view)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    for i, width in enumerate(widths, 1):
        if width:
            sheet.column_dimensions[get_column_letter(i)].width = width
    if freeze:
        sheet.freeze_panes = freeze
    bold = Font(bold=True)
    head = []
    for value in header:
        cell = safe_text(sheet, value) if isinstance(value, str) else value
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(sheet, cell)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    append, date, datetime_ = sheet.append, datetime.date, datetime.datetime
    count = 0
    for row in rows:
        values = list(row)
        for i, value in enumerate(values):
            kind = value.__class__
            if kind is str:
                if value.startswith("=") or ILLEGAL_CHARACTERS_RE.search(value):
                    values[i] = safe_text(sheet, value)
            elif kind is date or (isinstance(value, date) and not isinstance(value, datetime_)):
                cell = values[i] = WriteOnlyCell(sheet, value)
                cell.number_format = DATE_FORMAT
        append(values)
        count += 1
    book.save(target)
    return count
