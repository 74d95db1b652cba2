"""Quick order: lines of "SKU quantity" pasted from Excel or uploaded as .xlsx/.csv, straight into the cart.

Usage::

    from b2b_cabinet import quickorder

    lines, problems = quickorder.parse_text(pasted)          # or parse_upload(name, data)
    result = quickorder.match_lines(lines, pricing_context)  # a few batch queries, never one per line
    result.problems[:0] = problems
    quickorder.add_matches_to_cart(cart, result, actor=user)

A domain module: views call it, it never imports views.
"""

from .matching import Match, QuickOrderResult, add_matches_to_cart, match_lines, suggest
from .parsing import (
    MAX_LINES,
    MAX_UPLOAD_BYTES,
    LineProblem,
    QuickLine,
    QuickOrderError,
    parse_csv,
    parse_quantity,
    parse_text,
    parse_upload,
    parse_xlsx,
)

__all__ = [
    "MAX_LINES",
    "MAX_UPLOAD_BYTES",
    "LineProblem",
    "Match",
    "QuickLine",
    "QuickOrderError",
    "QuickOrderResult",
    "add_matches_to_cart",
    "match_lines",
    "parse_csv",
    "parse_quantity",
    "parse_text",
    "parse_upload",
    "parse_xlsx",
    "read",
    "suggest",
]


def read(*, text: str = "", upload=None, context=None) -> QuickOrderResult:
    """Parse pasted ``text`` or an ``upload`` (a Django UploadedFile) and match the lines."""
    if upload is not None:
        # Read one byte past the limit so parse_upload refuses an oversized file without reading it all.
        lines, problems = parse_upload(upload.name, upload.read(MAX_UPLOAD_BYTES + 1))
    else:
        lines, problems = parse_text(text)
    result = match_lines(lines, context)
    result.problems = sorted([*problems, *result.problems], key=lambda p: p.number)
    return result

