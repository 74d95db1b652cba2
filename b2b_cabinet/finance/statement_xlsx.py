"""The акт сверки as an XLSX workbook (openpyxl, write-only mode so ten thousand rows stay fast)."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _

from b2b_cabinet.conf import b2b_settings

from .statements import Statement

MONEY_FORMAT = "#,##0.00"


def statement_xlsx(statement: Statement) -> bytes:
    """Render ``statement`` to XLSX bytes: a title block, the two-sided table, the closing balance."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from b2b_cabinet.xlsx import safe_text

    with translation.override(b2b_settings.DOCUMENT_LANGUAGE or translation.get_language()):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(_("Reconciliation statement")[:31])
        for letter, width in zip("ABCDEFGH", (12, 48, 14, 14, 12, 30, 14, 14), strict=True):
            ws.column_dimensions[letter].width = width
        bold = Font(bold=True)
        s = statement

        def cell(value, strong=False, number=False):
            c = WriteOnlyCell(ws, value=value)
            if c.data_type == "f":  # a name or number from 1C is text, never a formula
                c.data_type = "s"
            if strong:
                c.font = bold
            if number:
                c.number_format = MONEY_FORMAT
            return c

        ws.append([cell(_("Reconciliation statement"), True)])
        ws.append([_("of mutual settlements for the period from %(start)s to %(end)s between %(seller)s and "
                     "%(buyer)s") % {"start": f"{s.date_from:%d.%m.%Y}", "end": f"{s.date_to:%d.%m.%Y}",
                                     "seller": s.seller["name"], "buyer": s.buyer["name"]}])
        if s.contract is not None:
            ws.append([_("under contract No. %(number)s") % {"number": s.contract.number}])
        ws.append([])
        ws.append([cell(_("According to %(name)s, RUB") % {"name": s.seller["name"]}, True), None, None, None,
                   cell(_("According to %(name)s, RUB") % {"name": s.buyer["name"]}, True)])
        ws.append([cell(label, True) for label in (_("Date"), _("Document"), _("Debit"), _("Credit")) * 2])

        def sides(amount):
            return (amount, None) if amount > 0 else (None, -amount if amount else None)

        def total_row(label, debit, credit):
            ws.append([None, cell(label, True), cell(debit, True, True), cell(credit, True, True)])

        total_row(_("Opening balance"), *sides(s.opening))
        for r in s.rows:
            ws.append([r.date, safe_text(ws, r.document), cell(r.debit or None, number=True),
                       cell(r.credit or None, number=True)])
        total_row(_("Turnover for the period"), s.debit_turnover, s.credit_turnover)
        total_row(_("Closing balance"), *sides(s.closing))
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
