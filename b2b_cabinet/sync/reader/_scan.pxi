# Included by _walk.pyx: a scanner for the plain XML of one record, building the libxml2-shaped
# nodes the walkers read, without libxml2.
#
# libxml2 builds a tree at about 110 MB/s here, and that tokenising is most of a worker's time.
# The records of a 1C export are the simplest XML there is: elements, attributes and text, in
# UTF-8, with no comments, CDATA, processing instructions, namespaces or DOCTYPE. This scanner
# reads exactly that subset and gives up (the caller then parses the record with lxml, which reads
# it or reports what is wrong) on anything else, and on anything it is not certain libxml2 would
# accept as it reads it:
#
# * names of ASCII letters, digits, "_", "-", "." and the Russian letters А-я, Ё, ё (no ":");
# * text and attribute values of valid UTF-8 XML characters, with the five predefined entities
#   and character references (to XML characters); no "]]>" in text, no "<" in values;
# * balanced tags, no repeated attribute and at most MAX_ATTRIBUTES an element (the repeat check is
#   quadratic), no ``xmlns`` (a namespace declaration), at most MAX_DEPTH levels, nothing but
#   whitespace after the record's end tag.
#
# It keeps, per element, only what the walkers read: name, attributes and the text before the
# first child (lxml's ``.text``). Line ends and attribute values are normalised as XML requires.
# ``tests/unit/test_walk_scan.py`` checks, on real files and on randomly broken records, that
# whatever the scanner accepts lxml accepts too, with the same fields.

from libc.stdlib cimport free, malloc
from libc.string cimport memcmp, memcpy

cdef enum:
    MAX_DEPTH = 64
    #: Records up to this size get arena room by their length; longer ones count their "<" and "=".
    SMALL_RECORD = 65536
    #: More attributes on one element than this: declined (the repeat check is quadratic; 1C writes <= 3).
    MAX_ATTRIBUTES = 16

# Byte classes, so the hot loops test one table entry per byte instead of a chain of comparisons.
cdef unsigned char _NAME[256]  # 1: ASCII name start, 2: ASCII name character, 3: 0xD0, 4: 0xD1
cdef unsigned char _PLAIN[256]  # 1: copied as it is in text (ASCII but "<", "&", "]" and controls)


cdef void _fill_tables() noexcept:
    cdef int c
    for c in range(256):
        _NAME[c] = 0
        _PLAIN[c] = 0
    for c in range(0x41, 0x5B):
        _NAME[c] = 1
    for c in range(0x61, 0x7B):
        _NAME[c] = 1
    _NAME[0x5F] = 1
    for c in range(0x30, 0x3A):
        _NAME[c] = 2
    _NAME[0x2D] = 2
    _NAME[0x2E] = 2
    _NAME[0xD0] = 3
    _NAME[0xD1] = 4
    for c in range(0x20, 0x80):
        _PLAIN[c] = 1
    _PLAIN[0x3C] = 0
    _PLAIN[0x26] = 0
    _PLAIN[0x5D] = 0
    _PLAIN[0x09] = 1
    _PLAIN[0x0A] = 1


_fill_tables()


cdef struct Arena:
    tree.xmlNode* nodes
    Py_ssize_t n_nodes
    Py_ssize_t cap_nodes
    tree.xmlAttr* attrs
    Py_ssize_t n_attrs
    Py_ssize_t cap_attrs
    unsigned char* buf
    Py_ssize_t n_buf
    Py_ssize_t cap_buf


# What a record of SMALL_RECORD bytes reserves (see _scan_record, lt = n // 3 + 1, eq = n // 5 + 1):
# an arena up to this size is kept from record to record.
cdef Py_ssize_t KEEP_NODES = 2 * (SMALL_RECORD // 3 + 1) + (SMALL_RECORD // 5 + 1) + 2
cdef Py_ssize_t KEEP_ATTRS = (SMALL_RECORD // 5 + 1) + 1
cdef Py_ssize_t KEEP_BUF = SMALL_RECORD + 2 * ((SMALL_RECORD // 3 + 1) + (SMALL_RECORD // 5 + 1)) + 2


cdef inline bint _realloc(Py_ssize_t need, Py_ssize_t cap, Py_ssize_t keep) noexcept nogil:
    # Grow when short. Shrink once a record far bigger than usual is past, so that one huge record
    # does not keep its memory for the rest of the worker's life.
    return need > cap or (cap > keep and cap > 2 * need)


cdef int _reserve(Arena* a, Py_ssize_t nodes, Py_ssize_t attrs, Py_ssize_t buf) noexcept nogil:
    """Room for a record's nodes, attributes and text (bounds counted from its bytes); -1: no memory."""
    if _realloc(nodes, a.cap_nodes, KEEP_NODES):
        free(a.nodes)
        a.nodes = <tree.xmlNode*>malloc(nodes * sizeof(tree.xmlNode))
        a.cap_nodes = nodes if a.nodes is not NULL else 0
    if _realloc(attrs, a.cap_attrs, KEEP_ATTRS):
        free(a.attrs)
        a.attrs = <tree.xmlAttr*>malloc(attrs * sizeof(tree.xmlAttr))
        a.cap_attrs = attrs if a.attrs is not NULL else 0
    if _realloc(buf, a.cap_buf, KEEP_BUF):
        free(a.buf)
        a.buf = <unsigned char*>malloc(buf)
        a.cap_buf = buf if a.buf is not NULL else 0
    if a.nodes is NULL or a.attrs is NULL or a.buf is NULL:
        return -1
    a.n_nodes = a.n_attrs = a.n_buf = 0
    return 0


cdef inline tree.xmlNode* _node(Arena* a, tree.xmlElementType kind) noexcept nogil:
    cdef tree.xmlNode* node = &a.nodes[a.n_nodes]
    a.n_nodes += 1
    node.type = kind
    node.name = NULL
    node.children = node.last = node.parent = node.next = node.prev = NULL
    node.content = NULL
    node.properties = NULL
    node.ns = node.nsDef = NULL
    return node


cdef inline bint _is_s(unsigned char c) noexcept nogil:
    return c == 0x20 or c == 0x09 or c == 0x0A or c == 0x0D


cdef inline Py_ssize_t _name_end(const unsigned char* p, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """End of the name at ``i``; -1 when there is none of the subset there."""
    cdef Py_ssize_t start = i
    cdef unsigned char kind, d
    while i < n:
        kind = _NAME[p[i]]
        if kind == 1:
            i += 1
        elif kind == 2:
            if i == start:
                return -1
            i += 1
        elif kind == 0:
            break
        else:
            if i + 1 >= n:
                return -1
            d = p[i + 1]
            # А-я (U+0410..U+044F), Ё (U+0401), ё (U+0451): name characters in every XML edition
            if (kind == 3 and (0x90 <= d <= 0xBF or d == 0x81)) or (kind == 4 and (0x80 <= d <= 0x8F or d == 0x91)):
                i += 2
            else:
                return -1
    return i if i > start else -1


cdef inline bint _xml_char(unsigned int cp) noexcept nogil:
    return (cp == 0x9 or cp == 0xA or cp == 0xD or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD
            or 0x10000 <= cp <= 0x10FFFF)


cdef inline int _utf8_length(const unsigned char* p, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """Length of the valid UTF-8 XML character starting with the non-ASCII byte ``p[i]``, or 0."""
    cdef unsigned char c = p[i]
    cdef unsigned int cp
    if c < 0xC2:
        return 0  # a continuation byte, or the lead of an overlong form
    if c < 0xE0:
        if i + 1 >= n or (p[i + 1] & 0xC0) != 0x80:
            return 0
        return 2
    if c < 0xF0:
        if i + 2 >= n or (p[i + 1] & 0xC0) != 0x80 or (p[i + 2] & 0xC0) != 0x80:
            return 0
        cp = ((c & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F)
        return 3 if cp >= 0x800 and _xml_char(cp) else 0
    if c < 0xF5:
        if i + 3 >= n or (p[i + 1] & 0xC0) != 0x80 or (p[i + 2] & 0xC0) != 0x80 or (p[i + 3] & 0xC0) != 0x80:
            return 0
        cp = ((c & 0x07) << 18) | ((p[i + 1] & 0x3F) << 12) | ((p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F)
        return 4 if 0x10000 <= cp <= 0x10FFFF else 0
    return 0


cdef inline Py_ssize_t _put_utf8(unsigned char* out, Py_ssize_t k, unsigned int cp) noexcept nogil:
    if cp < 0x80:
        out[k] = cp
        return k + 1
    if cp < 0x800:
        out[k] = 0xC0 | (cp >> 6)
        out[k + 1] = 0x80 | (cp & 0x3F)
        return k + 2
    if cp < 0x10000:
        out[k] = 0xE0 | (cp >> 12)
        out[k + 1] = 0x80 | ((cp >> 6) & 0x3F)
        out[k + 2] = 0x80 | (cp & 0x3F)
        return k + 3
    out[k] = 0xF0 | (cp >> 18)
    out[k + 1] = 0x80 | ((cp >> 12) & 0x3F)
    out[k + 2] = 0x80 | ((cp >> 6) & 0x3F)
    out[k + 3] = 0x80 | (cp & 0x3F)
    return k + 4


cdef inline Py_ssize_t _reference(const unsigned char* p, Py_ssize_t i, Py_ssize_t n, unsigned int* cp) noexcept nogil:
    """The reference after the "&" at ``i - 1``: its character in ``cp``, the index after ";"; -1 if none."""
    cdef Py_ssize_t j
    cdef unsigned int value = 0
    cdef int digits = 0
    cdef unsigned char c
    if i + 2 < n and p[i] == b"l" and p[i + 1] == b"t" and p[i + 2] == b";":
        cp[0] = 0x3C
        return i + 3
    if i + 2 < n and p[i] == b"g" and p[i + 1] == b"t" and p[i + 2] == b";":
        cp[0] = 0x3E
        return i + 3
    if i + 3 < n and memcmp(p + i, b"amp;", 4) == 0:
        cp[0] = 0x26
        return i + 4
    if i + 4 < n and memcmp(p + i, b"quot;", 5) == 0:
        cp[0] = 0x22
        return i + 5
    if i + 4 < n and memcmp(p + i, b"apos;", 5) == 0:
        cp[0] = 0x27
        return i + 5
    if i >= n or p[i] != b"#":
        return -1
    j = i + 1
    if j < n and p[j] == b"x":
        j += 1
        while j < n and digits <= 6:
            c = p[j]
            if 0x30 <= c <= 0x39:
                value = value * 16 + (c - 0x30)
            elif 0x61 <= c <= 0x66:
                value = value * 16 + (c - 0x61 + 10)
            elif 0x41 <= c <= 0x46:
                value = value * 16 + (c - 0x41 + 10)
            else:
                break
            digits += 1
            j += 1
    else:
        while j < n and digits <= 7:
            c = p[j]
            if not (0x30 <= c <= 0x39):
                break
            value = value * 10 + (c - 0x30)
            digits += 1
            j += 1
    if digits == 0 or digits > 7 or j >= n or p[j] != b";" or not _xml_char(value):
        return -1
    cp[0] = value
    return j + 1


cdef Py_ssize_t _characters(const unsigned char* p, Py_ssize_t i, Py_ssize_t n, unsigned char* out,
                            Py_ssize_t* out_k, unsigned char quote) noexcept nogil:
    """Read text (``quote`` 0: up to "<") or an attribute value (up to ``quote``) from ``i``.

    Writes the decoded characters at ``out[out_k[0]]`` and moves ``out_k[0]`` past them; returns
    the index of the stopping byte, or -1 for anything outside the subset. Callers that only check
    text pass a scratch ``out_k``: the arena has room for every byte of the record either way.
    """
    cdef Py_ssize_t k = out_k[0]
    cdef unsigned char c
    cdef unsigned int cp
    cdef int length
    while i < n:
        c = p[i]
        if _PLAIN[c] and not quote:
            # the common case in text: copy a run of plain bytes
            out[k] = c
            k += 1
            i += 1
            while i < n and _PLAIN[p[i]]:
                out[k] = p[i]
                k += 1
                i += 1
            continue
        if 0x20 <= c < 0x80:
            # ASCII, most of a record's markup and numbers
            if c == 0x3C:  # "<"
                if quote:
                    return -1
                break
            if c == quote:
                break
            if c == 0x26:  # "&"
                i = _reference(p, i + 1, n, &cp)
                if i < 0:
                    return -1
                k = _put_utf8(out, k, cp)
                continue
            if c == 0x5D and not quote and i + 2 < n and p[i + 1] == 0x5D and p[i + 2] == 0x3E:
                return -1  # "]]>" is not allowed in text
            out[k] = c
            k += 1
            i += 1
        elif c >= 0x80:
            if 0xC2 <= c < 0xE0 and i + 1 < n and (p[i + 1] & 0xC0) == 0x80:
                # two-byte characters: Cyrillic text
                out[k] = c
                out[k + 1] = p[i + 1]
                k += 2
                i += 2
                continue
            length = _utf8_length(p, i, n)
            if length == 0:
                return -1
            memcpy(out + k, p + i, length)
            k += length
            i += length
        else:
            if c == 0x0D:
                # a line end is one "\n" whatever the file's convention (XML 1.0, 2.11)
                if i + 1 < n and p[i + 1] == 0x0A:
                    i += 1
                c = 0x0A
            elif c != 0x09 and c != 0x0A:
                return -1  # control characters are not XML characters
            out[k] = 0x20 if quote else c  # attribute-value normalisation (XML 1.0, 3.3.3)
            k += 1
            i += 1
    out_k[0] = k
    return i


cdef inline const unsigned char* _copy_name(Arena* a, const unsigned char* p, Py_ssize_t start,
                                            Py_ssize_t end) noexcept nogil:
    cdef unsigned char* name = a.buf + a.n_buf
    memcpy(name, p + start, end - start)
    name[end - start] = 0
    a.n_buf += end - start + 1
    return name


cdef tree.xmlNode* _scan_record(Arena* a, const unsigned char* p, Py_ssize_t n) noexcept nogil:
    """The record ``p[:n]`` (one element and the whitespace after it) as nodes, or NULL."""
    cdef Py_ssize_t i = 0, end, j, lt = 0, eq = 0, k
    cdef tree.xmlNode* stack[MAX_DEPTH]
    cdef Py_ssize_t name_length[MAX_DEPTH]
    cdef int depth = 0
    cdef tree.xmlNode* root = NULL
    cdef tree.xmlNode* node
    cdef tree.xmlNode* parent
    cdef tree.xmlNode* text
    cdef tree.xmlAttr* attr
    cdef tree.xmlAttr* other
    cdef tree.xmlAttr* last_attr
    cdef unsigned char quote
    cdef bint empty
    cdef int n_attributes
    if n <= SMALL_RECORD:
        # An element takes at least 3 bytes ("<a>"), an attribute 5 (' a=""'): bounds without a pass.
        lt, eq = n // 3 + 1, n // 5 + 1
    else:
        for k in range(n):
            if p[k] == b"<":
                lt += 1
            elif p[k] == b"=":
                eq += 1
    # Each element: one node and its text node; each attribute: one attribute and its text node.
    if _reserve(a, 2 * lt + eq + 2, eq + 1, n + 2 * (lt + eq) + 2) < 0:
        return NULL
    while True:
        # A start tag at i.
        if i >= n or p[i] != b"<":
            return NULL
        end = _name_end(p, i + 1, n)
        if end < 0 or depth >= MAX_DEPTH:
            return NULL
        node = _node(a, tree.XML_ELEMENT_NODE)
        node.name = _copy_name(a, p, i + 1, end)
        if depth:
            parent = stack[depth - 1]
            node.parent = parent
            if parent.last is NULL:
                parent.children = node
            else:
                parent.last.next = node
            parent.last = node
        else:
            root = node
        name_length[depth] = end - i - 1
        i = end
        last_attr = NULL
        n_attributes = 0
        while True:
            j = i
            while i < n and _is_s(p[i]):
                i += 1
            if i >= n:
                return NULL
            if p[i] == b">":
                i += 1
                empty = False
                break
            if p[i] == b"/":
                if i + 1 >= n or p[i + 1] != b">":
                    return NULL
                i += 2
                empty = True
                break
            if i == j:
                return NULL  # an attribute needs whitespace before it
            end = _name_end(p, i, n)
            if end < 0:
                return NULL
            if end - i == 5 and memcmp(p + i, b"xmlns", 5) == 0:
                return NULL  # a namespace declaration: the element's namespace is lxml's to resolve
            n_attributes += 1
            if n_attributes > MAX_ATTRIBUTES:
                return NULL
            attr = &a.attrs[a.n_attrs]
            a.n_attrs += 1
            attr.type = tree.XML_ATTRIBUTE_NODE
            attr.name = _copy_name(a, p, i, end)
            attr.ns = NULL
            attr.next = NULL
            attr.parent = node
            other = node.properties
            while other is not NULL:
                if strcmp(<const char*>other.name, <const char*>attr.name) == 0:
                    return NULL
                other = other.next
            i = end
            while i < n and _is_s(p[i]):
                i += 1
            if i >= n or p[i] != b"=":
                return NULL
            i += 1
            while i < n and _is_s(p[i]):
                i += 1
            if i >= n or (p[i] != b'"' and p[i] != b"'"):
                return NULL
            quote = p[i]
            text = _node(a, tree.XML_TEXT_NODE)
            text.content = a.buf + a.n_buf
            i = _characters(p, i + 1, n, a.buf, &a.n_buf, quote)
            if i < 0 or i >= n:
                return NULL
            a.buf[a.n_buf] = 0
            a.n_buf += 1
            i += 1
            attr.children = attr.last = text
            if last_attr is NULL:
                node.properties = attr
            else:
                last_attr.next = attr
            last_attr = attr
        if not empty:
            stack[depth] = node
            depth += 1
        # Content of the innermost open element, up to the next start tag or the record's end.
        while depth:
            node = stack[depth - 1]
            if node.children is NULL:
                # the text before the first child: lxml's .text, the only text the walkers read
                text = _node(a, tree.XML_TEXT_NODE)
                text.content = a.buf + a.n_buf
                j = a.n_buf
                i = _characters(p, i, n, a.buf, &a.n_buf, 0)
                if i < 0:
                    return NULL
                a.buf[a.n_buf] = 0
                a.n_buf += 1
                if a.n_buf - j > 1:
                    node.children = node.last = text
                    text.parent = node
                else:
                    a.n_nodes -= 1  # no text: no node
            else:
                j = a.n_buf
                i = _characters(p, i, n, a.buf, &j, 0)  # text after a child: checked, not kept
                if i < 0:
                    return NULL
            if i + 1 >= n:
                return NULL  # the record ends inside an element
            if p[i + 1] == b"/":
                end = _name_end(p, i + 2, n)
                if end < 0 or end - i - 2 != name_length[depth - 1] or memcmp(
                        p + i + 2, node.name, end - i - 2) != 0:
                    return NULL
                i = end
                while i < n and _is_s(p[i]):
                    i += 1
                if i >= n or p[i] != b">":
                    return NULL
                i += 1
                depth -= 1
                continue
            if p[i + 1] == b"!" or p[i + 1] == b"?":
                return NULL  # a comment, CDATA or processing instruction: lxml reads those
            break  # a child's start tag
        if depth == 0:
            break
    while i < n and _is_s(p[i]):
        i += 1
    return root if i == n else NULL
