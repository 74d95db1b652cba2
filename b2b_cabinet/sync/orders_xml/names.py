"""The CommerceML vocabulary of order documents: element, requisite and operation names."""

ROOT = "КоммерческаяИнформация"
DOCUMENT = "Документ"
CONTAINER = "Контейнер"

ORDER_OPERATION = "Заказ товара"
SHIPMENT_OPERATION = "Отпуск товара"
PAYMENT_OPERATION = "Выплата безналичных денег"
INVOICE_OPERATION = "Счет на оплату"
#: ``ХозОперация`` of each kind of subordinate document we write (values of the 2.10 XSD's ХозОперацияТип).
LINKED_OPERATIONS = {"invoice": INVOICE_OPERATION, "payment": PAYMENT_OPERATION, "shipment": SHIPMENT_OPERATION}

#: Requisites 1C sends back (1C-Bitrix's loader vocabulary, PROTOCOL §3.7).
R_STATUS_IDS = ("Статуса заказа ИД", "Статус заказа ИД")  # Bitrix's genitive spelling first
#: Older modules (and УНФ) send only the status text: "[N] Принят" (Bitrix) or "Открыт".
R_STATUS_TEXT = "Статус заказа"
R_ONEC_NUMBER = "Номер по 1С"
R_ONEC_DATE = "Дата по 1С"
#: 2.03-era payment requisites (1C's official to.xml): paid flag, date and payment document.
R_PAID = "Заказ оплачен"
R_OLD_PAYMENT_DATE = "Дата оплаты"
R_OLD_PAYMENT_NUMBER = "Номер платежного документа"
R_POSTED = "Проведен"
R_DELETION = "ПометкаУдаления"
R_CANCELLED = "Отменен"
R_PAYMENT_DATE = "Дата оплаты по 1С"
R_PAYMENT_NUMBER = "Номер оплаты по 1С"
R_SHIPMENT_DATE = "Дата отгрузки по 1С"
R_SHIPMENT_NUMBER = "Номер отгрузки по 1С"

#: ``ХозОперация`` values of payment and shipment documents (exact, then by stem).
PAYMENT_OPERATIONS = frozenset({
    "Выплата безналичных денег", "Выплата наличных денег", "Эквайринговая операция",
    "Поступление безналичных денежных средств", "Поступление наличных денежных средств", "Оплата",
})
SHIPMENT_OPERATIONS = frozenset({"Отпуск товара", "Реализация товаров", "Реализация товаров и услуг",
                                 "Передача товара"})
PAYMENT_STEMS = ("оплат", "выплат", "поступлен", "эквайр")
SHIPMENT_STEMS = ("отпуск", "реализац", "отгруз")


def linked_kind(operation: str) -> str:
    """``"payment"``, ``"shipment"`` or ``""`` for a document's ``ХозОперация``."""
    if operation in PAYMENT_OPERATIONS:
        return "payment"
    if operation in SHIPMENT_OPERATIONS:
        return "shipment"
    lowered = operation.lower()
    if lowered.startswith(("счет", "счёт")):
        # "Счет на оплату" is a request for money, not money received: its stem "оплат" must not
        # turn an invoice into a payment.
        return ""
    if any(stem in lowered for stem in SHIPMENT_STEMS):
        return "shipment"
    if any(stem in lowered for stem in PAYMENT_STEMS):
        return "payment"
    return ""
