"""A small streaming .xlsx writer: one sheet, a bold header row, plain values, constant memory.

The personal price list writes 150,000 rows of a dozen cells. openpyxl's write-only mode spends
about 5 µs per cell building a cell object and its XML element; this module writes the sheet's XML
text directly into the zip member, a few hundred rows at a time, so a row costs a few microseconds
and memory does not grow with the number of rows. The package is the minimal standard one
(workbook, one worksheet, styles, document properties) that Excel, LibreOffice and openpyxl open.

Cells: ``str`` as inline strings (characters XML cannot carry are dropped), ``int``/``float``/
``Decimal`` as numbers, ``date``/``datetime`` as dates (``dd.mm.yyyy``), ``None`` as an empty cell.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl.utils import coordinate_to_tuple, get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Rows are encoded and written to the zip member in batches of this many.
FLUSH_ROWS = 500
# Excel's limits: 31 characters and none of these in a sheet name.
BAD_TITLE = re.compile(r"[\\*?:/\[\]]")
# XML 1.0 cannot carry these control characters at all (1C data sometimes has them).
BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
BOLD, DATE = 1, 2  # cellXfs indexes in STYLES

CONTENT_TYPES = HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
ROOT_RELS = HEAD + (
    f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
APP = HEAD + (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>wagtail-b2b-cabinet</Application></Properties>"
)
WORKBOOK_RELS = HEAD + (
    f'<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = HEAD + (
    f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def escape(text: str) -> str:
    """``text`` as XML character data: markup escaped, characters XML cannot carry dropped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return BAD_XML.sub("", text) if BAD_XML.search(text) else text


def sheet_title(title: str) -> str:
    """A name Excel accepts for a sheet: forbidden characters replaced, at most 31 characters."""
    return BAD_TITLE.sub(" ", title).strip()[:31] or "Sheet1"


class _Cells:
    """Turns values into ``<c>`` elements; remembers the XML of repeated strings (brands, units…)."""

    def __init__(self):
        self.strings: dict[str, str] = {}

    def cell(self, ref: str, value, style: int = 0) -> str:
        kind = value.__class__
        s = f' s="{style}"' if style else ""
        if kind is str:
            text = self.strings.get(value)
            if text is None:
                text = escape(value)
                if len(self.strings) < 10_000:
                    self.strings[value] = text
            return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
        if kind is int or kind is Decimal or kind is float:
            return f'<c r="{ref}"{s}><v>{value}</v></c>'
        if kind is bool:
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, datetime.datetime):
            delta = value.replace(tzinfo=None) - datetime.datetime(1899, 12, 30)
            return f'<c r="{ref}" s="{DATE}"><v>{delta.days + delta.seconds / 86400}</v></c>'
        if isinstance(value, datetime.date):
            return f'<c r="{ref}" s="{DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
        if isinstance(value, int | float | Decimal):
            return f'<c r="{ref}"{s}><v>{value}</v></c>'
        return self.cell(ref, str(value), style)


def _sheet_head(columns: int, widths: Sequence[float], freeze: str | None) -> str:
    view = '<sheetView workbookViewId="0"/>'
    if freeze:
        row, column = coordinate_to_tuple(freeze)
        split = "".join([f' xSplit="{column - 1}"' if column > 1 else "", f' ySplit="{row - 1}"' if row > 1 else ""])
        pane = "bottomRight" if row > 1 and column > 1 else ("bottomLeft" if row > 1 else "topRight")
        view = (f'<sheetView workbookViewId="0"><pane{split} topLeftCell="{freeze}" activePane="{pane}" '
                f'state="frozen"/><selection pane="{pane}"/></sheetView>')
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1) if w)
    return (HEAD + f'<worksheet xmlns="{MAIN}"><sheetViews>{view}</sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")


def write_xlsx(target, title: str, header: Sequence, rows: Iterable[Sequence], *, widths: Sequence[float] = (),
               freeze: str | None = None) -> int:
    """Write a one-sheet workbook to ``target`` (a path or a binary file); returns the number of rows
    after the header. ``widths`` are column widths from column A; ``freeze`` the top-left cell of the
    scrolling area (``"C2"`` keeps the header row and two columns in view)."""
    cells = _Cells()
    letters = [get_column_letter(i) for i in range(1, max(len(header), 1) + 1)]
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("docProps/app.xml", APP)
        book.writestr("docProps/core.xml", _core())
        book.writestr("xl/workbook.xml", HEAD + (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name="{escape(sheet_title(title))}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/styles.xml", STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_sheet_head(len(header), widths, freeze).encode())
            cell = cells.cell
            head = "".join(cell(f"{letters[i]}1", value, BOLD) for i, value in enumerate(header) if value is not None)
            batch = [f'<row r="1">{head}</row>']
            for number, row in enumerate(rows, 2):
                if len(row) > len(letters):
                    letters += [get_column_letter(i) for i in range(len(letters) + 1, len(row) + 1)]
                body = "".join([cell(f"{letters[i]}{number}", value) for i, value in enumerate(row)
                                if value is not None])
                batch.append(f'<row r="{number}">{body}</row>')
                count += 1
                if len(batch) >= FLUSH_ROWS:
                    sheet.write("".join(batch).encode())
                    batch.clear()
            batch.append("</sheetData></worksheet>")
            sheet.write("".join(batch).encode())
    return count


def _core() -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return HEAD + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>wagtail-b2b-cabinet</dc:creator>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>'
    )
