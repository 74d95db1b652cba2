"""Safe parser settings and the check of a file's prolog and root before anything is read.

1C never sends a DOCTYPE, so any DTD is refused outright: that closes billion-laughs, quadratic
blow-up and XXE (``SYSTEM "file:///etc/passwd"``) at once, instead of relying on the parser
merely not expanding them. The check runs twice, cheaply: on the first bytes of the file
(decoded per the BOM or UTF-16/32 signature) before libxml2 sees anything, and on lxml's
``docinfo`` when the root element starts, in case some encoding slipped past the first check.
Only then does the streaming pass begin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from b2b_cabinet.sync.errors import CommerceMLError
from b2b_cabinet.sync.reader.tags import A_GENERATED_AT, A_SCHEMA_VERSION, LOCAL_NAMES

#: lxml parser options for every CommerceML parse: no entity expansion, no network, no DTD
#: loading, and ``huge_tree`` because HTML descriptions exceed libxml2's default text limits.
PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": True,
}

DOCTYPE_PROBLEM = "DOCTYPE/entities are not allowed in CommerceML; 1C never sends them"
DOCTYPE_HINT = "Refusing the file; send the file exported by 1C itself."
TRUNCATED_HINT = "Upload the complete file again; if this repeats, export it from 1C again."
NOT_CML_HINT = "Send a file exported by 1C for the site exchange (CommerceML 2 or 3.1)."

_CHUNK = 64 * 1024
_ROOT = LOCAL_NAMES["ROOT"]
# A bare <Классификатор> root is not something 1C sends, but exchange modules (bigperson,
# carono) persist the classifier that way between calls; it is plain CommerceML, so accept it.
ACCEPTED_ROOTS = frozenset({_ROOT, LOCAL_NAMES["CLASSIFIER"]})


@dataclass(frozen=True, slots=True)
class Prolog:
    """What the root element says about the document."""

    namespace: str
    root: str
    schema_version: str
    generated_at: str
    line: int


def inspect_prolog(path: str) -> Prolog:
    """Refuse DTDs and non-CommerceML roots; return the root's namespace and attributes.

    Parses only up to the root's start tag, so it costs nothing even on a 650 MB file.
    """
    with open(path, "rb") as stream:
        chunk = stream.read(_CHUNK)
        _refuse_doctype_bytes(chunk, path)
        parser = etree.XMLPullParser(events=("start",), **PARSER_OPTIONS)
        try:
            while chunk:
                parser.feed(chunk)
                for _event, element in parser.read_events():
                    return _check_root(element, path)
                chunk = stream.read(_CHUNK)
            parser.close()
        except etree.XMLSyntaxError as exc:
            raise syntax_error(exc, path) from exc
    raise CommerceMLError("the file holds no XML element", path=path, hint=NOT_CML_HINT)


def syntax_error(exc: etree.XMLSyntaxError, path: str) -> CommerceMLError:
    """Wrap lxml's syntax error with the file and line, in the reader's wording."""
    message = re.sub(r"\s*\([^()]*, line \d+\)$", "", exc.msg or str(exc)).strip()
    message = re.sub(r", line \d+, column \d+$", "", message)
    line = exc.lineno or (exc.position[0] if exc.position else None)
    return CommerceMLError(
        f"the XML is malformed or truncated ({message})", path=path, line=line or None, hint=TRUNCATED_HINT
    )


# Byte-order marks and BOM-less starts of "<?" (XML 1.0 appendix F), most specific first.
_ENCODING_SIGNATURES = (
    (b"\x00\x00\xfe\xff", 4, "utf-32-be"),
    (b"\xff\xfe\x00\x00", 4, "utf-32-le"),
    (b"\xef\xbb\xbf", 3, "utf-8"),
    (b"\xfe\xff", 2, "utf-16-be"),
    (b"\xff\xfe", 2, "utf-16-le"),
    (b"\x00\x00\x00<", 0, "utf-32-be"),
    (b"<\x00\x00\x00", 0, "utf-32-le"),
    (b"\x00<\x00?", 0, "utf-16-be"),
    (b"<\x00?\x00", 0, "utf-16-le"),
)


def _prolog_text(data: bytes) -> str:
    """The first chunk as text, enough to scan the prolog whatever the encoding family."""
    for signature, skip, codec in _ENCODING_SIGNATURES:
        if data.startswith(signature):
            return data[skip:].decode(codec, "ignore")
    # UTF-8 without BOM, windows-1251 and every other ASCII-compatible encoding: the prolog's
    # markup is ASCII, and latin-1 maps each byte to one character, so positions are kept.
    return data.decode("latin-1")


def _refuse_doctype_bytes(data: bytes, path: str) -> None:
    """Find ``<!DOCTYPE`` in the prolog (after declaration, comments and whitespace)."""
    text = _prolog_text(data)
    position, size = 0, len(text)
    while position < size:
        if text[position] in " \t\r\n":
            position += 1
        elif text.startswith("<?", position):
            end = text.find("?>", position)
            if end < 0:
                return
            position = end + 2
        elif text.startswith("<!--", position):
            end = text.find("-->", position)
            if end < 0:
                return
            position = end + 3
        elif text[position : position + 9].upper() == "<!DOCTYPE":
            line = text.count("\n", 0, position) + 1
            raise CommerceMLError(DOCTYPE_PROBLEM, path=path, line=line, hint=DOCTYPE_HINT)
        else:
            return


def _check_root(root: etree._Element, path: str) -> Prolog:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise CommerceMLError(DOCTYPE_PROBLEM, path=path, hint=DOCTYPE_HINT)
    namespace, _, local = root.tag[1:].rpartition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if local not in ACCEPTED_ROOTS:
        raise CommerceMLError(
            f"not a CommerceML file: the root element must be <{_ROOT}>",
            path=path,
            line=root.sourceline,
            element=local,
            hint=NOT_CML_HINT,
        )
    return Prolog(
        namespace=namespace,
        root=local,
        schema_version=(root.get(A_SCHEMA_VERSION) or "").strip(),
        generated_at=root.get(A_GENERATED_AT) or "",
        line=root.sourceline or 1,
    )
