"""The error every CommerceML reader and loader raises for a file it cannot accept.

The message is written for the person who runs the exchange (usually a 1C administrator), so it
names the file, the line, the element and the 1C object, says what is wrong, and ends with what to
do about it. The same pieces are kept as attributes so the exchange log and the admin can show
them in columns.
"""

from __future__ import annotations

import os

from b2b_cabinet.exceptions import B2BCabinetError

#: Hint for a value 1C exported wrongly: the fix is on the 1C side, never in the site's database.
FIX_IN_1C = "Fix the value in 1C and export again."


class CommerceMLError(B2BCabinetError):
    """A CommerceML file is malformed, unsafe or holds a value that cannot be loaded.

    Attributes:
        path: the file as given to the reader (``str``), or ``None``.
        line: 1-based line in that file, or ``None`` when unknown.
        element: local name of the element at fault (``"Цена"``), or ``None``.
        external_id: 1C ``Ид`` of the product, offer, group… that holds the element, or ``None``.
        entity: what that ``Ид`` identifies, in English (``"offer"``), or ``None``.
        problem: what is wrong, without location or hint.
        hint: what the reader of the message should do.

    ``str(error)`` reads like ``offers.xml, line 120, <Цена> of offer 'abc#def': price 'x12' is
    not a number. Fix the value in 1C and export again.``
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
        element: str | None = None,
        external_id: str | None = None,
        entity: str | None = None,
        hint: str = FIX_IN_1C,
    ):
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.element = element
        self.external_id = external_id
        self.entity = entity
        self.problem = problem
        self.hint = hint
        super().__init__(self._compose())

    def __str__(self) -> str:
        # Composed on demand, so a caller that corrects ``line`` (a worker that parsed a slice of
        # the file) gets a message with the corrected line.
        return self._compose()

    def _compose(self) -> str:
        where = []
        if self.path:
            where.append(os.path.basename(self.path))
        if self.line:
            where.append(f"line {self.line}")
        if self.element:
            subject = f"<{self.element}>"
            if self.external_id:
                subject += f" of {self.entity or 'object'} {self.external_id!r}"
            where.append(subject)
        text = f"{', '.join(where)}: {self.problem}" if where else self.problem
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        return text

    def __reduce__(self):
        # Exceptions with keyword-only arguments do not survive pickling by default; the reader
        # runs in worker processes, so its errors must cross process boundaries intact.
        fields = ("path", "line", "element", "external_id", "entity", "hint")
        return _rebuild, (self.problem, {name: getattr(self, name) for name in fields})


def _rebuild(problem: str, fields: dict) -> CommerceMLError:
    return CommerceMLError(problem, **fields)
