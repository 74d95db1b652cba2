# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The two hot record walkers in C: ``Товар`` fields and plain ``Предложение`` offers.

:func:`~b2b_cabinet.sync.reader.catalog.product_fields` and
:func:`~b2b_cabinet.sync.reader.offers.read_plain_offer` walk a record through lxml's Python
API: every child visited costs an element proxy, a ``.tag`` string and a ``.text`` string, which is
most of an import worker's time after parsing. These walkers read the same libxml2 tree that lxml
built, through lxml's public C API (``_Element._c_node``), and create Python objects only for the
values they return.

They give exactly what the Python walkers give, or None where a record needs the Python walker
(no ``Ид``, a number that is not a number): the caller then runs the Python walker on the same
element, which reads it, or reports what needs reporting. ``tests/unit/test_walk_compiled.py``
compares both on every shared 1C file and on generated catalogues.
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.string cimport strcmp, strlen
from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Element

from b2b_cabinet.sync.reader.tags import (
    A_CODE,
    A_FULL_NAME,
    A_STATUS,
    A_WAREHOUSE_ID,
    A_WAREHOUSE_QUANTITY,
    LOCAL_NAMES,
    STATUS_DELETED,
)
from b2b_cabinet.sync.reader.values import (
    STOCK_NUMBERS,
    normalise_currency,
    plain_number,
    stock_number,
    to_bool,
    to_decimal,
)

# UTF-8 names (those of tags.py), kept alive by these module globals so their char* stay valid.
cdef bytes _B_PRODUCT = LOCAL_NAMES["PRODUCT"].encode()
cdef bytes _B_OFFER = LOCAL_NAMES["OFFER"].encode()
cdef bytes _B_ID = LOCAL_NAMES["ID"].encode()
cdef bytes _B_NAME = LOCAL_NAMES["NAME"].encode()
cdef bytes _B_SKU = LOCAL_NAMES["SKU"].encode()
cdef bytes _B_BARCODE = LOCAL_NAMES["BARCODE"].encode()
cdef bytes _B_BARCODE_ALT = LOCAL_NAMES["BARCODE_ALT"].encode()
cdef bytes _B_VERSION = LOCAL_NAMES["VERSION"].encode()
cdef bytes _B_DELETION_MARK = LOCAL_NAMES["DELETION_MARK"].encode()
cdef bytes _B_DESCRIPTION = LOCAL_NAMES["DESCRIPTION"].encode()
cdef bytes _B_PICTURE = LOCAL_NAMES["PICTURE"].encode()
cdef bytes _B_BRAND = LOCAL_NAMES["BRAND"].encode()
cdef bytes _B_PROPERTY_VALUES = LOCAL_NAMES["PROPERTY_VALUES"].encode()
cdef bytes _B_REQUISITES = LOCAL_NAMES["REQUISITES"].encode()
cdef bytes _B_BASE_UNIT = LOCAL_NAMES["BASE_UNIT"].encode()
cdef bytes _B_GROUPS = LOCAL_NAMES["GROUPS"].encode()
cdef bytes _B_TAX_RATES = LOCAL_NAMES["TAX_RATES"].encode()
cdef bytes _B_TAX_RATE = LOCAL_NAMES["TAX_RATE"].encode()
cdef bytes _B_RATE = LOCAL_NAMES["RATE"].encode()
cdef bytes _B_PRODUCER = LOCAL_NAMES["PRODUCER"].encode()
cdef bytes _B_CHARACTERISTICS = LOCAL_NAMES["CHARACTERISTICS"].encode()
cdef bytes _B_VALUE = LOCAL_NAMES["VALUE"].encode()
cdef bytes _B_RECALC = LOCAL_NAMES["RECALC"].encode()
cdef bytes _B_RATIO = LOCAL_NAMES["RATIO"].encode()
cdef bytes _B_QUANTITY = LOCAL_NAMES["QUANTITY"].encode()
cdef bytes _B_CHARACTERISTIC_ID = LOCAL_NAMES["CHARACTERISTIC_ID"].encode()
cdef bytes _B_PRICES = LOCAL_NAMES["PRICES"].encode()
cdef bytes _B_WAREHOUSE = LOCAL_NAMES["WAREHOUSE"].encode()
cdef bytes _B_WAREHOUSES = LOCAL_NAMES["WAREHOUSES"].encode()
cdef bytes _B_RESTS = LOCAL_NAMES["RESTS"].encode()
cdef bytes _B_PRICE_PER_UNIT = LOCAL_NAMES["PRICE_PER_UNIT"].encode()
cdef bytes _B_PRICE_TYPE_ID = LOCAL_NAMES["PRICE_TYPE_ID"].encode()
cdef bytes _B_CURRENCY = LOCAL_NAMES["CURRENCY"].encode()
cdef bytes _B_UNIT_REF = LOCAL_NAMES["UNIT_REF"].encode()
cdef bytes _B_MIN_QUANTITY = LOCAL_NAMES["MIN_QUANTITY"].encode()
# Attribute names (never namespaced in CommerceML).
cdef bytes _A_STATUS = A_STATUS.encode()
cdef bytes _A_CODE = A_CODE.encode()
cdef bytes _A_FULL_NAME = A_FULL_NAME.encode()
cdef bytes _A_WAREHOUSE_ID = A_WAREHOUSE_ID.encode()
cdef bytes _A_WAREHOUSE_QUANTITY = A_WAREHOUSE_QUANTITY.encode()

cdef str _DELETED = STATUS_DELETED
cdef str _VAT = "НДС"
cdef str _WITHOUT = "без"
cdef str _NOT_TAXED = "не облага"

# Product children, in the order of reader/catalog.py (0 = not a field).
cdef enum:
    P_OTHER, P_ID, P_NAME, P_SKU, P_BARCODE, P_VERSION, P_DELETION_MARK, P_DESCRIPTION, P_PICTURE,
    P_BRAND, P_PROPERTY_VALUES, P_REQUISITES, P_BASE_UNIT, P_GROUPS, P_TAX_RATES, P_PRODUCER,
    P_CHARACTERISTICS

# Offer children: plain ones, skipped ones, and those that make an offer not plain.
cdef enum:
    O_OTHER, O_ID, O_SKIP, O_PRICES, O_WAREHOUSE, O_QUANTITY, O_REQUISITES, O_NOT_PLAIN

# Price children.
cdef enum:
    R_OTHER, R_VALUE, R_TYPE, R_CURRENCY, R_UNIT, R_RATIO, R_MIN


cdef inline bint _same(const tree.xmlChar* name, bytes expected) noexcept:
    return strcmp(<const char*>name, <const char*>expected) == 0


cdef int _product_code(const tree.xmlChar* name) noexcept:
    # Most frequent first: a product repeats these in about this order.
    if _same(name, _B_ID): return P_ID
    if _same(name, _B_NAME): return P_NAME
    if _same(name, _B_SKU): return P_SKU
    if _same(name, _B_PROPERTY_VALUES): return P_PROPERTY_VALUES
    if _same(name, _B_REQUISITES): return P_REQUISITES
    if _same(name, _B_BASE_UNIT): return P_BASE_UNIT
    if _same(name, _B_GROUPS): return P_GROUPS
    if _same(name, _B_DESCRIPTION): return P_DESCRIPTION
    if _same(name, _B_BARCODE) or _same(name, _B_BARCODE_ALT): return P_BARCODE
    if _same(name, _B_TAX_RATES): return P_TAX_RATES
    if _same(name, _B_PICTURE): return P_PICTURE
    if _same(name, _B_PRODUCER): return P_PRODUCER
    if _same(name, _B_DELETION_MARK): return P_DELETION_MARK
    if _same(name, _B_VERSION): return P_VERSION
    if _same(name, _B_BRAND): return P_BRAND
    if _same(name, _B_CHARACTERISTICS): return P_CHARACTERISTICS
    return P_OTHER


cdef int _offer_code(const tree.xmlChar* name) noexcept:
    if _same(name, _B_ID): return O_ID
    if _same(name, _B_PRICES): return O_PRICES
    if _same(name, _B_WAREHOUSE): return O_WAREHOUSE
    if _same(name, _B_QUANTITY): return O_QUANTITY
    if _same(name, _B_NAME) or _same(name, _B_SKU): return O_SKIP
    if _same(name, _B_BARCODE) or _same(name, _B_BARCODE_ALT): return O_SKIP
    if _same(name, _B_REQUISITES): return O_REQUISITES
    if (_same(name, _B_DELETION_MARK) or _same(name, _B_CHARACTERISTIC_ID) or _same(name, _B_WAREHOUSES)
            or _same(name, _B_RESTS) or _same(name, _B_CHARACTERISTICS) or _same(name, _B_PROPERTY_VALUES)):
        return O_NOT_PLAIN
    return O_OTHER


cdef int _price_code(const tree.xmlChar* name) noexcept:
    if _same(name, _B_PRICE_PER_UNIT): return R_VALUE
    if _same(name, _B_PRICE_TYPE_ID): return R_TYPE
    if _same(name, _B_CURRENCY): return R_CURRENCY
    if _same(name, _B_UNIT_REF): return R_UNIT
    if _same(name, _B_RATIO): return R_RATIO
    if _same(name, _B_MIN_QUANTITY): return R_MIN
    return R_OTHER


cdef inline bint _space(unsigned char c) noexcept:
    # ASCII characters str.strip() removes.
    return c == 32 or 9 <= c <= 13 or 28 <= c <= 31


cdef str _decode_stripped(const char* s, Py_ssize_t n):
    """``s[:n].decode().strip()``: ASCII whitespace trimmed on the bytes, the rest by str.strip()."""
    cdef Py_ssize_t a = 0, b = n
    while a < b and _space(<unsigned char>s[a]):
        a += 1
    while b > a and _space(<unsigned char>s[b - 1]):
        b -= 1
    if a == b:
        return ""
    cdef str text = PyUnicode_DecodeUTF8(s + a, b - a, NULL)
    if <unsigned char>s[a] >= 0x80 or <unsigned char>s[b - 1] >= 0x80:
        return text.strip()  # may start or end with non-ASCII whitespace (NBSP…)
    return text


cdef inline tree.xmlNode* _text_node(tree.xmlNode* c) noexcept:
    # lxml's _textNodeOrSkip: the text of an element is its leading text and CDATA nodes.
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            return c
        if c.type == tree.XML_XINCLUDE_START or c.type == tree.XML_XINCLUDE_END:
            c = c.next
        else:
            return NULL
    return NULL


cdef bytes _joined_text(tree.xmlNode* c):
    parts = []
    while c is not NULL:
        parts.append(<bytes>(<const char*>c.content))
        c = _text_node(c.next)
    return b"".join(parts)


cdef str _text(tree.xmlNode* element):
    """``(element.text or "").strip()``."""
    cdef tree.xmlNode* c = _text_node(element.children)
    if c is NULL:
        return ""
    if _text_node(c.next) is NULL:
        return _decode_stripped(<const char*>c.content, strlen(<const char*>c.content))
    cdef bytes joined = _joined_text(c)
    return _decode_stripped(joined, len(joined))


cdef object _raw_text(tree.xmlNode* element):
    """``element.text``: None without text nodes, else their text as it is."""
    cdef tree.xmlNode* c = _text_node(element.children)
    if c is NULL:
        return None
    if _text_node(c.next) is NULL:
        return PyUnicode_DecodeUTF8(<const char*>c.content, strlen(<const char*>c.content), NULL)
    cdef bytes joined = _joined_text(c)
    return joined.decode()


cdef object _attribute(tree.xmlNode* element, bytes name):
    """``element.get(name)`` for an attribute without namespace: None when absent."""
    cdef tree.xmlAttr* attr = element.properties
    cdef tree.xmlNode* c
    while attr is not NULL:
        if attr.ns is NULL and _same(attr.name, name):
            c = attr.children
            if c is NULL:
                return ""
            if c.next is NULL and c.type == tree.XML_TEXT_NODE:
                return PyUnicode_DecodeUTF8(<const char*>c.content, strlen(<const char*>c.content), NULL)
            parts = []
            while c is not NULL:
                if c.content is not NULL:
                    parts.append(<bytes>(<const char*>c.content))
                c = c.next
            return b"".join(parts).decode()
        attr = attr.next
    return None


include "_scan.pxi"


cdef class Walker:
    """The walkers for the records of one namespace (``""``: none), as :class:`~.tags.Tags`."""

    cdef bytes _namespace
    cdef const char* _ns
    cdef Arena _arena  # the scanner's nodes and text, reused from record to record

    def __cinit__(self, str namespace):
        self._namespace = namespace.encode() if namespace else None
        self._ns = <const char*>self._namespace if namespace else NULL
        self._arena.nodes = NULL
        self._arena.attrs = NULL
        self._arena.buf = NULL
        self._arena.cap_nodes = self._arena.cap_attrs = self._arena.cap_buf = 0

    def __dealloc__(self):
        free(self._arena.nodes)
        free(self._arena.attrs)
        free(self._arena.buf)

    cdef tree.xmlNode* _scan(self, bytes data, Py_ssize_t start, Py_ssize_t end, bytes record) except? NULL:
        if self._ns is not NULL:
            return NULL  # scanned elements have no namespace: only for records read without one
        if not 0 <= start <= end <= len(data):
            raise IndexError("record bounds outside the data")
        cdef const unsigned char* p = <const unsigned char*>(<const char*>data)
        cdef tree.xmlNode* root = _scan_record(&self._arena, p + start, end - start)
        if root is NULL or not _same(root.name, record):
            return NULL
        return root

    def _arena_bytes(self):
        """Bytes the scanner's arena holds now (for tests)."""
        return (self._arena.cap_nodes * sizeof(tree.xmlNode) + self._arena.cap_attrs * sizeof(tree.xmlAttr)
                + self._arena.cap_buf)

    def scan_product(self, bytes data not None, Py_ssize_t start, Py_ssize_t end):
        """:meth:`product_fields` of the ``Товар`` in ``data[start:end]``, read by the scanner
        (``_scan.pxi``) instead of lxml; None where the scanner or the walker gives up."""
        cdef tree.xmlNode* root = self._scan(data, start, end, _B_PRODUCT)
        return None if root is NULL else self._product_fields(root)

    def scan_plain_offer(self, bytes data not None, Py_ssize_t start, Py_ssize_t end):
        """:meth:`plain_offer` of the ``Предложение`` in ``data[start:end]``, read by the scanner;
        None where the scanner gives up or the offer is not plain."""
        cdef tree.xmlNode* root = self._scan(data, start, end, _B_OFFER)
        return None if root is NULL else self._plain_offer(root)

    cdef inline bint _ours(self, tree.xmlNode* c) noexcept:
        """An element (not a comment or PI) in the walker's namespace."""
        if c.type != tree.XML_ELEMENT_NODE:
            return False
        if self._ns is NULL:
            return c.ns is NULL
        return c.ns is not NULL and c.ns.href is not NULL and strcmp(<const char*>c.ns.href, self._ns) == 0

    def product_fields(self, _Element element not None):
        """:func:`~b2b_cabinet.sync.reader.catalog.product_fields` of ``element``, or None where
        only the Python walker can tell (no ``Ид``, a number that is not one)."""
        return self._product_fields(element._c_node)

    cdef object _product_fields(self, tree.xmlNode* node):
        cdef tree.xmlNode* child
        cdef int code
        cdef str text
        external_id = sku = name = description = barcode = version = ""
        unit_code = unit_name = producer_id = producer_name = brand = ""
        unit_ratio = vat_rate = None
        vat_exempt = False
        deleted = _attribute(node, _A_STATUS) == _DELETED
        group_ids = ()
        images = []
        properties = ()
        requisite_pairs = ()
        characteristic_pairs = ()
        child = node.children
        while child is not NULL:
            if self._ours(child):
                code = _product_code(child.name)
                if code == P_OTHER:
                    pass
                elif code < P_PROPERTY_VALUES:
                    text = _text(child)
                    if code == P_ID:
                        external_id = text
                    elif code == P_NAME:
                        name = text
                    elif code == P_SKU:
                        sku = text
                    elif code == P_BARCODE:
                        barcode = text
                    elif code == P_VERSION:
                        version = text
                    elif code == P_DELETION_MARK:
                        deleted = deleted or to_bool(text)
                    elif code == P_DESCRIPTION:
                        description = text
                    elif code == P_PICTURE:
                        if text:
                            images.append(text)
                    else:
                        brand = text
                elif code == P_PROPERTY_VALUES:
                    properties = self._property_values(child)
                elif code == P_REQUISITES or code == P_CHARACTERISTICS:
                    pairs = self._name_value_pairs(child)
                    if code == P_REQUISITES:
                        requisite_pairs = pairs
                    else:
                        characteristic_pairs = pairs
                elif code == P_BASE_UNIT:
                    unit = self._base_unit(child)
                    if unit is None:
                        return None
                    unit_code, unit_name, unit_ratio = unit
                elif code == P_GROUPS:
                    group_ids = self._group_ids(child)
                elif code == P_TAX_RATES:
                    vat = self._vat(child)
                    if vat is None:
                        return None
                    vat_rate, vat_exempt = vat
                else:
                    producer_id, producer_name = self._producer(child)
            child = child.next
        if not external_id:
            return None
        return (
            external_id, sku, name, description, group_ids, barcode, unit_code, unit_name, unit_ratio,
            vat_rate, vat_exempt, producer_id, producer_name, brand, properties, requisite_pairs,
            tuple(images), characteristic_pairs, deleted, version,
        )

    cdef tuple _property_values(self, tree.xmlNode* block):
        cdef tree.xmlNode* item = block.children
        cdef tree.xmlNode* child
        cdef str text
        result = []
        while item is not NULL:
            if item.type == tree.XML_ELEMENT_NODE:  # items are not checked by tag (see fields.py)
                property_id = ""
                values = []
                child = item.children
                while child is not NULL:
                    if self._ours(child):
                        if _same(child.name, _B_VALUE):
                            text = _text(child)
                            if text:
                                values.append(text)
                        elif _same(child.name, _B_ID):
                            property_id = _text(child)
                    child = child.next
                if property_id:
                    result.append((property_id, tuple(values)))
            item = item.next
        return tuple(result)

    cdef tuple _name_value_pairs(self, tree.xmlNode* block):
        cdef tree.xmlNode* item = block.children
        cdef tree.xmlNode* child
        cdef str text
        result = []
        while item is not NULL:
            if item.type == tree.XML_ELEMENT_NODE:
                name = ""
                first = several = None
                child = item.children
                while child is not NULL:
                    if self._ours(child):
                        if _same(child.name, _B_VALUE):
                            text = _text(child)
                            if first is None:
                                first = text
                            elif several is None:
                                several = [first, text]
                            else:
                                several.append(text)
                        elif _same(child.name, _B_NAME):
                            name = _text(child)
                    child = child.next
                if name:
                    result.append((name, "\n".join(several) if several is not None else first or ""))
            item = item.next
        return tuple(result)

    cdef object _base_unit(self, tree.xmlNode* unit):
        cdef tree.xmlNode* recalc
        cdef tree.xmlNode* child
        text = _text(unit)
        code = _attribute(unit, _A_CODE)
        code = code.strip() if code else ""
        full_name = _attribute(unit, _A_FULL_NAME)
        full_name = full_name.strip() if full_name else ""
        if code:
            unit_code, unit_name = code, full_name or text
        else:
            unit_code, unit_name = text, full_name
        ratio = None
        recalc = unit.children
        while recalc is not NULL:
            if self._ours(recalc) and _same(recalc.name, _B_RECALC):
                child = recalc.children
                while child is not NULL:
                    if self._ours(child) and _same(child.name, _B_RATIO) and ratio is None:
                        raw = _raw_text(child)
                        if raw and raw.strip():
                            try:
                                ratio = to_decimal(raw)
                            except ValueError:
                                return None
                    child = child.next
            recalc = recalc.next
        return unit_code, unit_name, ratio

    cdef tuple _group_ids(self, tree.xmlNode* groups):
        cdef tree.xmlNode* child = groups.children
        cdef str text
        result = []
        while child is not NULL:
            if self._ours(child) and _same(child.name, _B_ID):
                text = _text(child)
                if text:
                    result.append(text)
            child = child.next
        return tuple(result)

    cdef object _vat(self, tree.xmlNode* rates):
        """(rate or None, exempt?) as reader/catalog.py's ``_vat``, or None for a bad number."""
        cdef tree.xmlNode* rate = rates.children
        cdef tree.xmlNode* child
        while rate is not NULL:
            if self._ours(rate) and _same(rate.name, _B_TAX_RATE):
                tax_name = value = ""
                child = rate.children
                while child is not NULL:
                    if self._ours(child):
                        if _same(child.name, _B_NAME):
                            tax_name = _text(child)
                        elif _same(child.name, _B_RATE):
                            value = _text(child)
                    child = child.next
                if tax_name and _VAT not in tax_name.upper():
                    rate = rate.next
                    continue
                if not value:
                    return None, False
                lowered = value.lower()
                if _WITHOUT in lowered or _NOT_TAXED in lowered:
                    return None, True
                try:
                    return to_decimal(value.rstrip("%")), False
                except ValueError:
                    return None
            rate = rate.next
        return None, False

    cdef tuple _producer(self, tree.xmlNode* producer):
        cdef tree.xmlNode* child = producer.children
        producer_id = producer_name = ""
        while child is not NULL:
            if self._ours(child):
                if _same(child.name, _B_ID):
                    producer_id = _text(child)
                elif _same(child.name, _B_NAME):
                    producer_name = _text(child)
            child = child.next
        return producer_id, producer_name

    def plain_offer(self, _Element element not None):
        """:func:`~b2b_cabinet.sync.reader.offers.read_plain_offer` of ``element``."""
        return self._plain_offer(element._c_node)

    cdef object _plain_offer(self, tree.xmlNode* node):
        cdef tree.xmlNode* child
        cdef int code
        cdef str text
        if _attribute(node, _A_STATUS) is not None:
            return None
        external_id = ""
        prices = stocks = quantity = None
        requisite_pairs = ()
        child = node.children
        while child is not NULL:
            if self._ours(child):
                code = _offer_code(child.name)
                if code == O_ID:
                    external_id = _text(child)
                elif code == O_PRICES:
                    prices = self._plain_prices(child)
                    if prices is None:
                        return None
                elif code == O_WAREHOUSE:
                    warehouse_id = _attribute(child, _A_WAREHOUSE_ID)
                    if warehouse_id is None:
                        return None
                    warehouse_id = warehouse_id.strip()
                    raw = _attribute(child, _A_WAREHOUSE_QUANTITY)
                    value = STOCK_NUMBERS.get(raw) or stock_number(raw)
                    if not warehouse_id or value is None:
                        return None
                    if stocks is None:
                        stocks = []
                    stocks.append((warehouse_id, value))
                elif code == O_QUANTITY:
                    text = _text(child)
                    if text:
                        quantity = plain_number(text)
                        if quantity is None:
                            return None
                elif code == O_REQUISITES:
                    requisite_pairs = self._name_value_pairs(child)
                elif code == O_NOT_PLAIN:
                    return None
            child = child.next
        if not external_id or "#" in external_id:
            return None
        return external_id, prices, quantity, stocks, requisite_pairs

    cdef object _plain_prices(self, tree.xmlNode* block):
        cdef tree.xmlNode* price = block.children
        cdef tree.xmlNode* child
        cdef int code
        cdef str text
        result = []
        while price is not NULL:
            if price.type == tree.XML_ELEMENT_NODE:  # comments are skipped, as in offers.py
                type_id = currency = ""
                value = minimum = None
                coefficient = "1"
                child = price.children
                while child is not NULL:
                    if self._ours(child):
                        code = _price_code(child.name)
                        if code != R_OTHER and code != R_UNIT:
                            text = _text(child)
                            if code == R_VALUE:
                                value = plain_number(text)
                                if value is None:
                                    return None
                            elif code == R_TYPE:
                                type_id = text
                            elif code == R_CURRENCY:
                                currency = normalise_currency(text)
                            elif code == R_RATIO:
                                if text and text != "1":
                                    coefficient = plain_number(text)
                                    if coefficient is None:
                                        return None
                                    if not to_decimal(coefficient):
                                        coefficient = "1"  # as the loader reads a zero coefficient
                            elif text:
                                minimum = plain_number(text)
                                if minimum is None:
                                    return None
                    child = child.next
                if value is None:
                    return None
                result.append((type_id, value, currency, coefficient, minimum))
            price = price.next
        return result
