"""Amounts in Russian words for invoices and statements: ``Decimal("1021.05")`` → «Одна тысяча двадцать один
рубль 05 копеек».

This is the legal form of a Russian payment document (сумма прописью), so it is Russian whatever the
interface language. Thousands are feminine (одна тысяча, две тысячи), millions and billions
masculine; the noun after a number takes the form its last two digits ask for (1 рубль, 2 рубля,
5 рублей, but 11–14 рублей). Kopecks are written in digits, as 1C prints them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

UNITS_M = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
UNITS_F = ("", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
TEENS = ("десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
         "семнадцать", "восемнадцать", "девятнадцать")
TENS = ("", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят",
        "девяносто")
HUNDREDS = ("", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот",
            "девятьсот")
#: (forms for 1, 2–4, 5+, feminine?) for each power of a thousand above the units.
SCALES = (
    (("тысяча", "тысячи", "тысяч"), True),
    (("миллион", "миллиона", "миллионов"), False),
    (("миллиард", "миллиарда", "миллиардов"), False),
    (("триллион", "триллиона", "триллионов"), False),
)
RUBLES = ("рубль", "рубля", "рублей")
KOPECKS = ("копейка", "копейки", "копеек")


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """The noun form for ``n``: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    n = abs(n) % 100
    if 11 <= n <= 14:
        return forms[2]
    n %= 10
    if n == 1:
        return forms[0]
    if 2 <= n <= 4:
        return forms[1]
    return forms[2]


def _triad(n: int, feminine: bool) -> list[str]:
    words = [HUNDREDS[n // 100]]
    rest = n % 100
    if 10 <= rest <= 19:
        words.append(TEENS[rest - 10])
    else:
        words += [TENS[rest // 10], (UNITS_F if feminine else UNITS_M)[rest % 10]]
    return [w for w in words if w]


def number_in_words(n: int, feminine: bool = False) -> str:
    """A whole number in Russian words (``feminine`` for the units, as with «копейка»)."""
    if n < 0:
        return "минус " + number_in_words(-n, feminine)
    if n == 0:
        return "ноль"
    words: list[str] = []
    triads = []
    while n:
        triads.append(n % 1000)
        n //= 1000
    if len(triads) > len(SCALES) + 1:
        raise ValueError("number too large")
    for power in range(len(triads) - 1, -1, -1):
        triad = triads[power]
        if not triad:
            continue
        if power == 0:
            words += _triad(triad, feminine)
        else:
            forms, fem = SCALES[power - 1]
            words += [*_triad(triad, fem), plural(triad, forms)]
    return " ".join(words)


def amount_in_words(amount: Decimal | int | str, kopecks_in_words: bool = False) -> str:
    """«Триста пятьдесят рублей 00 копеек»: roubles in words, kopecks in digits (or words), capitalised."""
    amount = Decimal(amount).quantize(Decimal("0.01"), ROUND_HALF_UP)
    sign = "минус " if amount < 0 else ""
    amount = abs(amount)
    rubles = int(amount)
    kopecks = int((amount - rubles) * 100)
    kop = number_in_words(kopecks, feminine=True) if kopecks_in_words else f"{kopecks:02d}"
    text = f"{sign}{number_in_words(rubles)} {plural(rubles, RUBLES)} {kop} {plural(kopecks, KOPECKS)}"
    return text[0].upper() + text[1:]
