"""Finance use-cases: invoices, payments, shipments, the debt ledger and the акт сверки.

The 1C sale exchange, the admin, online payments and the cabinet all call these::

    from b2b_cabinet import finance

    invoice = finance.issue_invoice(order, part, actor=user)
    finance.record_payment(order_part=part, number="123", date=day, amount=Decimal("1000.00"), source="1c",
                           external_id="guid", node=node)
    finance.record_shipment(order_part=part, number="РН-5", date=day, lines=[(product, 2, "100.00")])
    finance.invoices_for_part(part)          # what the sale export sends with the order part
    finance.record_settlement(company=..., contract=..., as_of=day, balance=Decimal("5000"))  # 1C's figure
"""

from .invoices import cancel_invoice, invoices_for_part, issue_invoice, seller_requisites
from .ledger import Ageing, Position, age, ageing, balance, outstanding_debt, position
from .payments import record_payment
from .settlements import record_settlement
from .shipments import record_shipment

__all__ = [
    "Ageing",
    "Position",
    "age",
    "ageing",
    "balance",
    "cancel_invoice",
    "invoices_for_part",
    "issue_invoice",
    "outstanding_debt",
    "position",
    "record_payment",
    "record_settlement",
    "record_shipment",
    "seller_requisites",
]
