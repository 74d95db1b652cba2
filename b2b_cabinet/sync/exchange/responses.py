"""Plain-text answers of the 1C exchange protocol.

1C reads the first line of every answer as a keyword (``success``, ``progress``, ``failure``) and
shows the following lines in its exchange log. So answers are bare text: ``\\n`` line ends, no BOM
(a BOM before ``success`` would break 1C's first-line check) and no HTML. Keywords are ASCII, so the
charset only matters for the messages; UTF-8 is declared and sent.

Protocol-level failures (a bad file name, a failed import) are answered with HTTP 200, like 1C-Bitrix
does: 1C then shows our explanation; on other statuses it may show only the code. Authentication
failures are the exception (401/403/429), because that is what HTTP clients and proxies expect.
"""

from __future__ import annotations

from django.http import HttpResponse

CONTENT_TYPE = "text/plain; charset=utf-8"

SUCCESS = "success"
PROGRESS = "progress"
FAILURE = "failure"


def answer(*lines: str, status: int = 200, final_newline: bool = True) -> HttpResponse:
    """A protocol answer made of ``lines``, each ended by ``\\n`` (the last one optionally not)."""
    # Messages may carry text from files or exceptions: keep them to one line each so 1C's
    # line-oriented parser cannot mistake a message line for a protocol line.
    clean = [" ".join(str(line).replace("\r", " ").split("\n")) for line in lines]
    body = "\n".join(clean) + ("\n" if final_newline else "")
    response = HttpResponse(body.encode("utf-8"), content_type=CONTENT_TYPE, status=status)
    # Exchange answers are per-session state; no proxy may cache or replay them.
    response["Cache-Control"] = "no-store"
    return response


def success(*lines: str) -> HttpResponse:
    """``success`` followed by optional message lines."""
    return answer(SUCCESS, *lines)


def progress(message: str) -> HttpResponse:
    """``progress``: 1C repeats the same request until the answer changes."""
    return answer(PROGRESS, message)


def failure(reason: str, *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    """``failure`` with the reason on the second line (which may carry several sentences)."""
    # ImportRun errors may span several lines (file, line, element, what to do): 1C shows every
    # line after the keyword, so multi-line reasons are kept as separate lines here.
    response = answer(FAILURE, *str(reason).replace("\r", "").split("\n"), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response
