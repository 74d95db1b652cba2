"""The акт сверки as a PDF, drawn with ReportLab's canvas.

Why not WeasyPrint, which renders invoices: a statement may run to ten thousand documents, and
WeasyPrint lays a table of that size out in about a minute and a half on this kind of machine, while
drawing rows straight onto the canvas takes about a second and a half (see ``docs/benchmarks.md``).
The form is the standard two-sided one: the seller's columns filled in, the buyer's left for the
buyer to fill in and sign. Text is DejaVu Sans, which covers Cyrillic.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache
from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import gettext as _

from b2b_cabinet.conf import b2b_settings
from b2b_cabinet.money_words import amount_in_words
from b2b_cabinet.templatetags.b2b_finance import money

from .statements import Statement

FONT, BOLD = "B2BDejaVu", "B2BDejaVuBold"
FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/{}.ttf", "/usr/share/fonts/dejavu/{}.ttf",
              "/usr/local/share/fonts/{}.ttf", "/Library/Fonts/{}.ttf")
MARGIN, ROW, SIZE = 28, 10.5, 6.8
# Column x positions and widths: seller's date, document, debit, credit | buyer's the same.
COLUMNS = ((0, 44), (44, 172), (216, 50), (266, 50), (316, 44), (360, 93), (453, 43), (496, 43))
TABLE_WIDTH = COLUMNS[-1][0] + COLUMNS[-1][1]


def font_file(name: str) -> str:
    """Where the DejaVu font ``name`` (e.g. ``DejaVuSans``) lives: well-known folders, then fontconfig."""
    for pattern in FONT_PATHS:
        if Path(pattern.format(name)).exists():
            return pattern.format(name)
    if shutil.which("fc-match"):
        family = "DejaVu Sans:bold" if name.endswith("Bold") else "DejaVu Sans"
        found = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=False)
        if found.stdout and Path(found.stdout).exists():
            return found.stdout
    raise FileNotFoundError("DejaVu Sans not found: install fonts-dejavu-core.")


@cache
def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, font_file("DejaVuSans")))
    pdfmetrics.registerFont(TTFont(BOLD, font_file("DejaVuSans-Bold")))


def _d(day) -> str:
    return formats.date_format(day, "d.m.Y")


class _Sheet:
    """A page-breaking writer of rows onto the canvas."""

    def __init__(self, statement: Statement):
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.pdfgen import canvas

        self.buffer = io.BytesIO()
        self.width, self.height = A4
        self.canvas = canvas.Canvas(self.buffer, pagesize=A4, pageCompression=1)
        self.canvas.setTitle(_("Reconciliation statement"))
        self.stringWidth = stringWidth
        self.statement = statement
        self.y = self.height - MARGIN
        self.page = 1
        self.table_top: float | None = None
        self.font: tuple | None = None

    def text(self, x, y, value, bold=False, size=SIZE, right=None):
        c = self.canvas
        font = (BOLD if bold else FONT, size)
        if font != self.font:  # setFont writes to the page stream every time: only when it changes
            c.setFont(*font)
            self.font = font
        if right is not None:
            c.drawRightString(right, y, value)
        else:
            c.drawString(x, y, value)

    def paragraph(self, value, bold=False, size=8.0):
        from reportlab.lib.utils import simpleSplit

        for line in simpleSplit(value, BOLD if bold else FONT, size, self.width - 2 * MARGIN):
            self.need(size + 3)
            self.text(MARGIN, self.y, line, bold, size)
            self.y -= size + 3

    def need(self, height):
        """Start a new page when ``height`` does not fit; returns whether it did."""
        if self.y - height < MARGIN:
            self.close_table()
            self.text(0, MARGIN / 2, str(self.page), size=6, right=self.width - MARGIN)
            self.canvas.showPage()
            self.font = None  # a new page starts with no font set
            self.page += 1
            self.y = self.height - MARGIN
            return True
        return False

    def header(self):
        s = self.statement
        top = self.y
        half = COLUMNS[4][0]
        self.text(MARGIN + 2, top - 8, _("According to %(name)s, RUB") % {"name": s.seller["name"]}, bold=True)
        self.text(MARGIN + half + 2, top - 8, _("According to %(name)s, RUB") % {"name": s.buyer["name"]}, bold=True)
        labels = (_("Date"), _("Document"), _("Debit"), _("Credit")) * 2
        for (x, _w), label in zip(COLUMNS, labels, strict=True):
            self.text(MARGIN + x + 2, top - 19, label, bold=True)
        c = self.canvas
        c.setLineWidth(0.4)
        c.rect(MARGIN, top - 22, TABLE_WIDTH, 22)
        c.line(MARGIN, top - 11, MARGIN + TABLE_WIDTH, top - 11)
        c.line(MARGIN + half, top, MARGIN + half, top - 11)
        for x, _w in COLUMNS[1:]:
            c.line(MARGIN + x, top - 11, MARGIN + x, top - 22)
        self.y = self.table_top = top - 22

    def close_table(self):
        """Draw the column rules of the table part on this page in one go (not per row: that is 8× the lines)."""
        if self.table_top is None:
            return
        c = self.canvas
        c.setLineWidth(0.4)
        for x, _w in COLUMNS:
            c.line(MARGIN + x, self.table_top, MARGIN + x, self.y)
        c.line(MARGIN + TABLE_WIDTH, self.table_top, MARGIN + TABLE_WIDTH, self.y)
        self.table_top = None

    def fit(self, text: str, width: float) -> list[str]:
        """``text`` in at most two lines of ``width``; the second is cut short with an ellipsis if needed."""
        full = self.stringWidth(text, FONT, SIZE)
        if full <= width:
            return [text]
        cut = max(1, int(len(text) * width / full))
        space = text.rfind(" ", 0, cut)
        first, rest = (text[:space], text[space + 1:]) if space > 0 else (text[:cut], text[cut:])
        rest_width = self.stringWidth(rest, FONT, SIZE)
        if rest_width > width:
            rest = rest[:max(1, int(len(rest) * width / rest_width) - 2)] + "…"
        return [first, rest]

    def row(self, date, document, debit, credit, bold=False):
        lines = self.fit(document, COLUMNS[1][1] - 4) if document else [""]
        height = ROW + (len(lines) - 1) * (SIZE + 1.5)
        if self.need(height):
            self.header()
        y = self.y - ROW + 3
        self.text(MARGIN + 2, y, date, bold)
        for offset, line in enumerate(lines):
            self.text(MARGIN + COLUMNS[1][0] + 2, y - offset * (SIZE + 1.5), line, bold)
        if debit:
            self.text(0, y, debit, bold, right=MARGIN + COLUMNS[2][0] + COLUMNS[2][1] - 2)
        if credit:
            self.text(0, y, credit, bold, right=MARGIN + COLUMNS[3][0] + COLUMNS[3][1] - 2)
        self.y -= height
        self.canvas.line(MARGIN, self.y, MARGIN + TABLE_WIDTH, self.y)


def _sides(amount):
    """A balance as (debit, credit) cells."""
    return (money(amount), "") if amount > 0 else ("", money(-amount) if amount else "")


def statement_pdf(statement: Statement) -> bytes:
    """Render ``statement`` to PDF bytes in ``DOCUMENT_LANGUAGE``."""
    _register_fonts()
    with translation.override(b2b_settings.DOCUMENT_LANGUAGE or translation.get_language()):
        return _draw(statement)


def _draw(s: Statement) -> bytes:
    sheet = _Sheet(s)
    seller, buyer = s.seller["name"], s.buyer["name"]
    sheet.paragraph(_("Reconciliation statement"), bold=True, size=12)
    sheet.paragraph(_("of mutual settlements for the period from %(start)s to %(end)s between %(seller)s and "
                      "%(buyer)s") % {"start": _d(s.date_from), "end": _d(s.date_to), "seller": seller,
                                      "buyer": buyer}, bold=True, size=8.5)
    if s.contract is not None:
        sheet.paragraph(_("under contract No. %(number)s") % {"number": s.contract.number}, size=8.5)
    sheet.paragraph(_("We, the undersigned, have drawn up this statement confirming that mutual settlements "
                      "according to our books stand as follows:"))
    sheet.y -= 4
    sheet.header()
    sheet.row("", _("Opening balance"), *_sides(s.opening), bold=True)
    for r in s.rows:
        sheet.row(f"{r.date:%d.%m.%Y}", r.document, money(r.debit) if r.debit else "",
                  money(r.credit) if r.credit else "")
    sheet.row("", _("Turnover for the period"), money(s.debit_turnover), money(s.credit_turnover), bold=True)
    sheet.row("", _("Closing balance"), *_sides(s.closing), bold=True)
    sheet.close_table()
    sheet.y -= 8
    sheet.paragraph(_closing_sentence(s), bold=True)
    sheet.y -= 14
    sheet.need(60)
    half = (sheet.width - 2 * MARGIN) / 2
    for x, name, role in ((MARGIN, seller, s.seller.get("director", "")), (MARGIN + half + 10, buyer, "")):
        sheet.text(x, sheet.y, _("From %(name)s") % {"name": name}, bold=True, size=7.5)
        sheet.text(x, sheet.y - 28, "______________________ / " + (role or "______________"), size=7.5)
        sheet.text(x, sheet.y - 40, _("Stamp"), size=6.5)
    sheet.canvas.save()
    return sheet.buffer.getvalue()


def _closing_sentence(s: Statement) -> str:
    args = {"seller": s.seller["name"], "date": _d(s.date_to), "amount": money(abs(s.closing)),
            "words": amount_in_words(abs(s.closing))}
    if s.closing > 0:
        args["creditor"] = s.seller["name"]
    elif s.closing < 0:
        args["creditor"] = s.buyer["name"]
    else:
        return _("According to %(seller)s, as of %(date)s there is no debt between the parties.") % args
    return _("According to %(seller)s, as of %(date)s the debt in favour of %(creditor)s is %(amount)s RUB "
             "(%(words)s).") % args
