"""A small 1C:Enterprise emulator: drives the exchange views through Django's test ``Client``.

It behaves like 1C's "Обмен с сайтом" (and like ``gebvlad/python-1c-exchange-emulate``): Basic
credentials only on ``checkauth``; afterwards the cookie from lines 2–3 of that answer, plus
``sessid=`` in the query as newer 1C modules do; ``init`` tells it whether to zip and the largest
chunk; files go as raw-body POSTs cut into ``file_limit`` pieces; ``import`` is repeated while the
answer is ``progress``. No server cookie jar is used: like 1C, it only sends what it read.
"""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import dataclass
from urllib.parse import urlencode

from django.test import Client

USER_AGENT = "1C+Enterprise/8.3"


@dataclass
class Answer:
    """One answer of the site: HTTP status and the text body."""

    status: int
    text: str
    body: bytes = b""
    content_type: str = ""

    @property
    def lines(self) -> list[str]:
        """Body lines without the line ends."""
        return self.text.split("\n")

    @property
    def keyword(self) -> str:
        """The protocol keyword of the first line (success, progress, failure…); "xml" for a query answer."""
        return "xml" if "xml" in self.content_type and self.status == 200 else self.lines[0]

    @property
    def message(self) -> str:
        """Everything after the first line."""
        return "\n".join(self.lines[1:]).strip()


class ExchangeFailed(AssertionError):
    """The site answered ``failure`` (or a non-200 status) where 1C expected success."""


class OneCClient:
    """A 1C exchange node talking to ``path`` with ``login``/``password``."""

    def __init__(
        self,
        client: Client,
        login: str,
        password: str,
        *,
        path: str = "/1c/exchange/",
        exchange_type: str = "catalog",
        chunk_size: int | None = None,
        send_sessid: bool = True,
        max_polls: int = 50,
    ):
        self.client = client
        self.login = login
        self.password = password
        self.path = path
        self.type = exchange_type
        self.chunk_size = chunk_size
        self.send_sessid = send_sessid
        self.max_polls = max_polls
        self.cookie: tuple[str, str] | None = None
        self.sessid: str | None = None
        self.timestamp: str | None = None
        self.use_zip: bool | None = None
        self.file_limit: int | None = None
        self.version: str | None = None
        self.log: list[tuple[str, Answer]] = []

    # -- the protocol, one mode at a time -------------------------------------------------

    def checkauth(self, *, login: str | None = None, password: str | None = None) -> Answer:
        """Send Basic credentials; on success remember cookie, sessid and timestamp."""
        token = base64.b64encode(f"{login or self.login}:{password or self.password}".encode()).decode()
        answer = self._send("checkauth", headers={"authorization": f"Basic {token}"}, with_session=False)
        if answer.keyword == "success":
            lines = answer.lines
            self.cookie = (lines[1], lines[2])
            extras = dict(line.split("=", 1) for line in lines[3:] if "=" in line)
            self.sessid = extras.get("sessid")
            self.timestamp = extras.get("timestamp")
        return answer

    def init(self, version: str | None = None) -> Answer:
        """Ask whether to zip and how large a chunk may be (sale: optionally naming a schema version)."""
        answer = self._send("init", **({"version": version} if version else {}))
        values = dict(line.split("=", 1) for line in answer.lines if "=" in line)
        if "zip" in values:
            self.use_zip = values["zip"] == "yes"
        if values.get("file_limit", "").isdigit():
            self.file_limit = int(values["file_limit"])
        self.version = values.get("version")
        return answer

    def query(self) -> Answer:
        """``sale``: fetch the orders; ``body`` holds the XML bytes as sent."""
        return self._send("query")

    def success(self) -> Answer:
        """``sale``: confirm that the orders of the last query are stored."""
        return self._send("success")

    def sale_exchange(self, documents: dict[str, bytes] | None = None, *, version: str | None = "2.09",
                      confirm: bool = True, archive_name: str = "orders.zip") -> dict[str, Answer]:
        """The whole sale conversation: checkauth → init → query → success → file → import.

        With ``version=None`` this is the old protocol: no version at init, and ``file`` alone
        applies the documents (1C never calls ``import`` then). When ``init`` says ``zip=yes`` the
        documents go as one archive (the answer of its last chunk is ``results["file"]``).
        """
        results = {"checkauth": self._expect(self.checkauth()), "init": self._expect(self.init(version))}
        results["query"] = self._expect(self.query())
        if confirm:
            results["success"] = self._expect(self.success())
        if documents and self.use_zip:
            # Like 1C after zip=yes: one archive, then (new protocol) import by the inner names.
            results["file"] = self._expect_all(self.send_file(archive_name, make_zip(documents)))
            for name in documents if version else ():
                results[f"import:{name}"] = self._expect(self.import_file(name))
            return results
        for name, data in (documents or {}).items():
            results[f"file:{name}"] = self._expect_all(self.send_file(name, data))
            if version:
                results[f"import:{name}"] = self._expect(self.import_file(name))
        return results

    def send_file(self, filename: str, data: bytes) -> list[Answer]:
        """POST ``data`` in chunks of at most ``file_limit`` (or ``chunk_size``) bytes; stop at a failure."""
        limit = min(size for size in (self.file_limit, self.chunk_size, len(data) or 1) if size)
        answers = []
        for start in range(0, max(len(data), 1), limit):
            answer = self._send("file", body=data[start : start + limit], filename=filename)
            answers.append(answer)
            if answer.keyword != "success":
                break
        return answers

    def import_file(self, filename: str) -> Answer:
        """Repeat ``import`` while the site answers ``progress``; return the final answer."""
        for _ in range(self.max_polls):
            answer = self._send("import", filename=filename)
            if answer.keyword != "progress":
                return answer
        raise ExchangeFailed(f"import of {filename} still in progress after {self.max_polls} polls")

    def deactivate(self) -> Answer:
        """Newer 1C: deactivate what a full upload did not contain (echoes checkauth's timestamp)."""
        return self._send("deactivate", timestamp=self.timestamp or "")

    def complete(self) -> Answer:
        """Newer 1C: the exchange is over."""
        return self._send("complete")

    def request(self, mode: str, **params) -> Answer:
        """Any mode with the session cookie (for tests of odd requests)."""
        return self._send(mode, **params)

    # -- a whole exchange -------------------------------------------------------------------

    def exchange(self, files: dict[str, bytes], *, archive_name: str = "v8_1A76_155ae.zip") -> dict[str, Answer]:
        """checkauth → init → file(s) → import each XML until done → deactivate → complete.

        Like 1C, zips everything into one archive when ``init`` says ``zip=yes``, and imports the
        XML files in the given order. Returns the final answer per step (``import:<name>`` per file).
        """
        results = {"checkauth": self._expect(self.checkauth()), "init": self._expect(self.init())}
        if self.use_zip:
            results["file"] = self._expect_all(self.send_file(archive_name, make_zip(files)))
        else:
            for name, data in files.items():
                results[f"file:{name}"] = self._expect_all(self.send_file(name, data))
        for name in files:
            if name.lower().endswith(".xml"):
                results[f"import:{name}"] = self._expect(self.import_file(name))
        results["deactivate"] = self._expect(self.deactivate())
        results["complete"] = self._expect(self.complete())
        return results

    # -- plumbing ---------------------------------------------------------------------------

    def _send(self, mode: str, *, body: bytes | None = None, headers=None, with_session: bool = True, **params):
        query = {"type": self.type, "mode": mode, **params}
        headers = {"user-agent": USER_AGENT, **(headers or {})}
        if with_session and self.cookie:
            headers["cookie"] = f"{self.cookie[0]}={self.cookie[1]}"
            if self.send_sessid and self.sessid:
                query["sessid"] = self.sessid
        url = f"{self.path}?{urlencode(query)}"
        if body is None:
            response = self.client.get(url, headers=headers)
        else:
            response = self.client.post(url, data=body, content_type="application/octet-stream", headers=headers)
        content_type = response.get("Content-Type", "")
        text = response.content.decode("utf-8", "replace") if "xml" not in content_type else ""
        answer = Answer(response.status_code, text, response.content, content_type)
        self.log.append((mode, answer))
        return answer

    @staticmethod
    def _expect(answer: Answer) -> Answer:
        if answer.status != 200 or answer.keyword == "failure":
            raise ExchangeFailed(f"{answer.status}: {answer.text}")
        return answer

    def _expect_all(self, answers: list[Answer]) -> Answer:
        for answer in answers:
            self._expect(answer)
        return answers[-1]


class _DosZipInfo(zipfile.ZipInfo):
    """An entry whose name is stored in cp866 without the UTF-8 flag, as 1C on Windows writes it."""

    def _encodeFilenameFlags(self):  # overrides zipfile's private hook
        return self.filename.encode("cp866"), self.flag_bits & ~0x800


def make_zip(files: dict[str, bytes], *, cp866_names: bool = False) -> bytes:
    """A zip archive of ``files`` as 1C builds it (deflated; optionally DOS-encoded entry names)."""
    buffer = io.BytesIO()
    info_class = _DosZipInfo if cp866_names else zipfile.ZipInfo
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = info_class(name, date_time=(2026, 1, 27, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


# -- what 1C exports: a minimal but complete CommerceML 2 package -----------------------------

CML_NS = "urn:1C.ru:commerceml_2"


def import_xml(*, name: str = "Насос НС-100", sku: str = "NS-100", picture: str | None = None) -> bytes:
    """``import.xml``: a classifier with one group and a full catalogue with one product in it."""
    picture_xml = f"<Картинка>{picture}</Картинка>" if picture else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="{CML_NS}" ВерсияСхемы="2.08" ДатаФормирования="2026-01-27T12:00:00">
  <Классификатор>
    <Ид>cls-1</Ид>
    <Наименование>Классификатор (Каталог товаров)</Наименование>
    <Группы>
      <Группа><Ид>grp-pumps</Ид><Наименование>Насосы</Наименование></Группа>
    </Группы>
  </Классификатор>
  <Каталог СодержитТолькоИзменения="false">
    <Ид>cat-1</Ид>
    <ИдКлассификатора>cls-1</ИдКлассификатора>
    <Наименование>Каталог товаров</Наименование>
    <Товары>
      <Товар>
        <Ид>prod-ns100</Ид>
        <Артикул>{sku}</Артикул>
        <Наименование>{name}</Наименование>
        <БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>
        <Группы><Ид>grp-pumps</Ид></Группы>
        {picture_xml}
      </Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>
""".encode()


def offers_xml(*, price: str = "1250.00", quantity: str = "7") -> bytes:
    """``offers.xml``: a price type, a warehouse, and the product's offer with a price and stock."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="{CML_NS}" ВерсияСхемы="2.08" ДатаФормирования="2026-01-27T12:00:00">
  <ПакетПредложений СодержитТолькоИзменения="false">
    <Ид>cat-1#</Ид>
    <Наименование>Пакет предложений (Каталог товаров)</Наименование>
    <ИдКаталога>cat-1</ИдКаталога>
    <ИдКлассификатора>cls-1</ИдКлассификатора>
    <ТипыЦен>
      <ТипЦены>
        <Ид>pt-wholesale</Ид>
        <Наименование>Оптовая</Наименование>
        <Валюта>RUB</Валюта>
        <Налог><Наименование>НДС</Наименование><УчтеноВСумме>true</УчтеноВСумме></Налог>
      </ТипЦены>
    </ТипыЦен>
    <Склады>
      <Склад><Ид>wh-main</Ид><Наименование>Основной склад</Наименование></Склад>
    </Склады>
    <Предложения>
      <Предложение>
        <Ид>prod-ns100</Ид>
        <Артикул>NS-100</Артикул>
        <Наименование>Насос НС-100</Наименование>
        <БазоваяЕдиница Код="796" НаименованиеПолное="Штука">шт</БазоваяЕдиница>
        <Цены>
          <Цена>
            <Представление>{price} RUB за шт</Представление>
            <ИдТипаЦены>pt-wholesale</ИдТипаЦены>
            <ЦенаЗаЕдиницу>{price}</ЦенаЗаЕдиницу>
            <Валюта>RUB</Валюта>
            <Единица>шт</Единица>
            <Коэффициент>1</Коэффициент>
          </Цена>
        </Цены>
        <Количество>{quantity}</Количество>
        <Склад ИдСклада="wh-main" КоличествоНаСкладе="{quantity}"/>
      </Предложение>
    </Предложения>
  </ПакетПредложений>
</КоммерческаяИнформация>
""".encode()
