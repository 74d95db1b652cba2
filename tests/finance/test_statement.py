"""The акт сверки: opening balance, documents by date, turnovers, closing balance; 1C corrections."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from b2b_cabinet import finance
from b2b_cabinet.finance.statement_pdf import statement_pdf
from b2b_cabinet.finance.statement_xlsx import statement_xlsx
from b2b_cabinet.finance.statements import build_statement
from tests import factories as f
from tests.finance.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(alpha_order, alpha):
    """October: invoice 350 and payment 100. November: invoice 200, payments 250 and 50."""
    order, part = alpha_order
    october = datetime.date(2026, 10, 5)
    finance.issue_invoice(order, part, today=october)
    finance.record_payment(order_part=part, number="П-1", date=october, amount=Decimal(100), source="1c")
    other, other_part = f.order_with_part(alpha[0], lines=(("200.00", "1"),))
    finance.issue_invoice(other, other_part, today=DAY)
    finance.record_payment(order_part=part, number="П-2", date=DAY, amount=Decimal(250), source="1c")
    finance.record_payment(order_part=other_part, number="П-3", date=DAY + datetime.timedelta(days=1),
                           amount=Decimal(50), source="1c")
    return order.company


def test_the_statement_opens_with_the_balance_before_the_period_and_closes_with_the_turnovers(history):
    s = build_statement(history, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert s.opening == Decimal("250.00")
    assert [(r.date, r.debit, r.credit) for r in s.rows] == [
        (DAY, Decimal("200.00"), 0), (DAY, 0, Decimal("250.00")), (DAY + datetime.timedelta(days=1), 0, Decimal(50))]
    assert (s.debit_turnover, s.credit_turnover, s.closing) == (Decimal("200.00"), Decimal("300.00"), Decimal("150.00"))
    assert s.closing == finance.balance(history)


def test_a_1c_figure_inside_the_period_appears_as_a_correction_row(history):
    finance.record_settlement(company=history, contract=None, as_of=DAY, balance=Decimal("400.00"))
    s = build_statement(history, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    correction = [r for r in s.rows if r.document == "Корректировка по данным взаиморасчётов 1С"]
    assert len(correction) == 1 and correction[0].debit == Decimal("200.00")  # 250 + 200 − 250 = 200 → 400
    assert s.closing == Decimal("350.00") == finance.balance(history)


def test_the_pdf_has_the_two_sided_form_turnovers_closing_balance_and_amount_in_words(history):
    s = build_statement(history, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(statement_pdf(s))).pages).split())
    for expected in ("Акт сверки", "01.11.2026", "30.11.2026", "ООО «Поставщик»", "ООО «Альфа-Трейд»",
                     "Сальдо начальное", "250,00", "Обороты за период", "200,00", "300,00", "Сальдо конечное",
                     "150,00", "Сто пятьдесят рублей 00 копеек", "Дебет", "Кредит"):
        assert expected in text, expected


def test_the_xlsx_lists_every_document_with_numbers_not_text(history):
    s = build_statement(history, datetime.date(2026, 10, 1), datetime.date(2026, 11, 30))
    rows = list(load_workbook(io.BytesIO(statement_xlsx(s))).active.iter_rows(values_only=True))
    documents = [r for r in rows if r and isinstance(r[0], datetime.datetime)]
    assert len(documents) == 5
    assert sum(r[2] or 0 for r in documents) == 550 and sum(r[3] or 0 for r in documents) == 400
