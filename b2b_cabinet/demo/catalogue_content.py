"""Russian catalogue content for the demo CommerceML generator (an electrical-goods distributor).

Everything here is plain data: brands, the families of goods (``Kind``) with their group path, name
and article templates and property templates, and the property registry. ``catalogue_synth`` turns one
combination of a kind, a brand and dimension values into one product. Templates are ``str.format``
strings over the dimension values, ``fixed`` values, ``brand``, ``series``, ``code`` and, for every
dimension ``x``, ``x_n`` (the index of the value). Adding a kind never changes the articles of the
others; every (kind, brand, combination) must give a distinct article (checked by the tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

DICT, NUMBER, STRING = "Справочник", "Число", "Строка"


@dataclass(frozen=True)
class Brand:
    name: str
    countries: tuple[str, ...]
    price_factor: float
    warranty_months: tuple[int, ...]


BRANDS: tuple[Brand, ...] = (
    Brand("IEK", ("Россия", "Китай"), 1.0, (24, 60)),
    Brand("EKF", ("Россия", "Китай"), 0.93, (36, 60)),
    Brand("Schneider Electric", ("Франция", "Россия", "Индия"), 2.1, (18, 24)),
    Brand("ABB", ("Германия", "Италия", "Польша"), 2.4, (24, 36)),
    Brand("DEKraft", ("Китай",), 0.82, (12, 24)),
    Brand("КЭАЗ", ("Россия",), 1.25, (36, 60)),
)

COUNTRY_CODES = {"Россия": "RU", "Китай": "CN", "Франция": "FR", "Индия": "IN", "Германия": "DE",
                 "Италия": "IT", "Польша": "PL"}
CLIMATES = ("УХЛ4", "УХЛ3", "У3", "УХЛ1", "У1")
FEMININE = {"белый": "белая", "бежевый": "бежевая", "антрацит": "антрацит", "алюминий": "алюминий",
            "слоновая кость": "слоновая кость", "чёрный": "чёрная"}

PROPERTY_TYPES: dict[str, str] = {
    "Бренд": DICT, "Серия": DICT, "Номинальный ток, А": NUMBER, "Количество полюсов": DICT,
    "Характеристика срабатывания": DICT, "Отключающая способность, кА": NUMBER,
    "Ширина, модулей": NUMBER, "Способ монтажа": DICT,
    "Номинальный отключающий дифференциальный ток, мА": DICT, "Тип УЗО": DICT,
    "Количество постов": NUMBER, "Цвет": DICT, "Защитные шторки": DICT, "Степень защиты": DICT,
    "Количество клавиш": NUMBER, "Подсветка": DICT, "Марка кабеля": DICT, "Число жил": NUMBER,
    "Сечение жилы, мм²": NUMBER, "Длина, м": NUMBER, "Материал жилы": DICT,
    "Номинальное напряжение, В": NUMBER, "Количество модулей": NUMBER, "Материал корпуса": DICT,
    "Мощность, Вт": NUMBER, "Цветовая температура, К": DICT, "Цоколь": DICT, "Форма колбы": DICT,
    "Напряжение катушки, В": DICT, "Контакты": DICT,
    # generic properties, drawn per product (see synth), appended after the kind's own
    "Страна производства": DICT, "Гарантийный срок, мес": NUMBER, "Код ОКПД2": STRING,
    "Сертификат соответствия": STRING, "Климатическое исполнение": DICT, "Ширина, мм": NUMBER,
    "Высота, мм": NUMBER, "Глубина, мм": NUMBER,
}
HEAD_PROPERTIES = (("Бренд", "{brand}"), ("Серия", "{series}"))
TAIL_PROPERTIES = (("Страна производства", "{country}"), ("Гарантийный срок, мес", "{warranty}"),
                   ("Код ОКПД2", "{okpd2}"), ("Сертификат соответствия", "{cert}"),
                   ("Климатическое исполнение", "{climate}"), ("Ширина, мм", "{width}"),
                   ("Высота, мм", "{height}"), ("Глубина, мм", "{depth}"))
# Справочник values of the generic properties (the kinds' values are enumerated from their dims)
TAIL_DOMAINS = {"Страна производства": tuple(COUNTRY_CODES), "Климатическое исполнение": CLIMATES}

REQUISITES = ("ВидНоменклатуры", "ТипНоменклатуры", "Полное наименование", "Вес", "Код", "Кратность",
              "Страна происхождения", "Код ТН ВЭД", "Гарантийный срок", "Единица для отчетов")

PADDING = (
    "Продукция сертифицирована, декларация соответствия ЕАЭС прилагается к каждой партии.",
    "Гарантийный срок исчисляется с даты продажи конечному покупателю.",
    "Поставляется в индивидуальной упаковке с паспортом изделия и инструкцией по монтажу.",
    "Хранение допускается в закрытых помещениях при температуре от −40 до +50 °C.",
    "Монтаж и подключение выполняет квалифицированный персонал при снятом напряжении.",
    "Срок службы изделия не менее 15 лет при соблюдении условий эксплуатации.",
    "Отгрузка со склада в день оплаты при заказе до 16:00 по местному времени.",
    "Минимальная партия отгрузки определяется кратностью заводской упаковки.",
    "Производитель вправе изменять характеристики без предварительного уведомления.",
    "Утилизация выполняется по местным правилам для электротехнических изделий.",
)


@dataclass(frozen=True)
class Kind:
    """A family of goods in one leaf group; each brand x combination of ``dims`` is one product."""

    path: tuple[str, str, str]
    vid: str  # ВидНоменклатуры requisite
    name: str
    article: str | tuple[str, ...]  # one template with {code}, or one template per brand
    codes: tuple[str, ...]  # per brand, in BRANDS order
    series: tuple[str, ...]  # per brand, in BRANDS order
    dims: tuple[tuple[str, tuple], ...]
    props: tuple[tuple[str, str], ...]
    price: tuple[float, float]  # recommended retail price range (RUB) for a brand with factor 1
    weight: tuple[float, float]  # kg
    about: str
    okpd2: str
    tnved: str
    fixed: dict = field(default_factory=dict)
    price_by: tuple[str, ...] = ()  # dims that drive price and weight (repeat one to weigh it more)
    pack: int = 1
    variant: tuple[str, tuple[str, ...]] = ("Исполнение", ("стандарт", "блистер", "коробка 12 шт"))


def _leaves(path2: tuple[str, str], leaves: tuple[tuple[str, dict], ...], **common) -> list[Kind]:
    """One Kind per leaf group; a leaf's dict adds ``fixed`` values and may override ``dims``."""
    kinds = []
    for leaf, extra in leaves:
        extra = dict(extra)
        dims = extra.pop("dims", None) or common["dims"]
        kinds.append(Kind(path=(*path2, leaf), **{**common, "dims": dims},
                          fixed={**common.get("fixed", {}), **extra}))
    return kinds


_COLOURS = ("белый", "бежевый", "антрацит", "алюминий", "слоновая кость", "чёрный")
_BREAKER = dict(okpd2="27.12.22.000", tnved="8536201007")
_ACCESSORY = dict(codes=("BR", "ERR", "GSL000", "2CLA", "DK", "OP"),
                  series=("BRITE", "Минск", "Glossa", "Zenit", "Эстетика", "Optima"),
                  okpd2="27.33.13.130", tnved="8536699008", pack=10,
                  variant=("Цвет рамки", ("белый", "бежевый", "антрацит")))
_MOUNTS = (("Скрытой установки", {"ip": "IP20", "mnt": "S", "mount": "скрытый", "where": "СУ"}),
           ("Открытой установки", {"ip": "IP44", "mnt": "O", "mount": "открытый", "where": "ОУ"}))

KINDS: tuple[Kind, ...] = tuple([
    *_leaves(
        ("Автоматические выключатели", "Модульные"),
        tuple((f"{p}P", {"p": p, "pm": pm}) for p, pm in ((1, 1.0), (2, 2.1), (3, 3.2))),
        vid="Автоматический выключатель",
        name="Автоматический выключатель {series} {p}P {i}А {c} {brand}",
        article=("MVA20-{p}-{i:03d}-{c}", "mcb4763-{p}-{i:02d}{c}-pro", "A9F7{c_n}{p}{i:02d}",
                 "2CDS25{p}001R{c_n}{i:03d}", "1{p}{i:03d}{c}DEK", "BM63-{p}{c}{i}-УХЛ3"),
        codes=("",) * 6,
        series=("ВА47-29", "ВА 47-63 PROxima", "Acti9 iC60N", "S200", "ВА-101", "OptiDin BM63"),
        dims=(("i", (1, 2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25, 32, 40, 50, 63)), ("c", ("B", "C", "D"))),
        props=(("Номинальный ток, А", "{i}"), ("Количество полюсов", "{p}P"),
               ("Характеристика срабатывания", "{c}"), ("Отключающая способность, кА", "4,5"),
               ("Ширина, модулей", "{p}"), ("Способ монтажа", "DIN-рейка")),
        price=(220, 520), weight=(0.11, 0.3), pack=12, **_BREAKER,
        about="Модульный автоматический выключатель защищает электрические сети от перегрузки и "
              "короткого замыкания. Монтаж на DIN-рейку 35 мм."),
    *_leaves(
        ("Автоматические выключатели", "Дифференциальные автоматы"),
        (("1P+N", {"p": "1P+N", "pn": 2, "pm": 1.0}), ("3P+N", {"p": "3P+N", "pn": 4, "pm": 2.4})),
        vid="Дифференциальный автомат",
        name="Дифференциальный автомат {series} {p} {c}{i} {leak}мА тип {t} {brand}",
        article="{code}-{pn}-{i:03d}-{c}-{leak:03d}-{t}",
        codes=("MAD22", "DA32", "A9D31", "2CSR25", "15", "D63"),
        series=("АВДТ32", "АД-32 PROxima", "Acti9 iDif K", "DS201", "ДИФ-103", "OptiDin D63"),
        dims=(("i", (6, 10, 16, 20, 25, 32, 40, 50, 63)), ("c", ("B", "C")), ("leak", (10, 30, 100, 300)),
              ("t", ("AC", "A"))),
        props=(("Номинальный ток, А", "{i}"), ("Количество полюсов", "{p}"),
               ("Характеристика срабатывания", "{c}"),
               ("Номинальный отключающий дифференциальный ток, мА", "{leak}"), ("Тип УЗО", "{t}"),
               ("Способ монтажа", "DIN-рейка")),
        price=(1100, 4200), weight=(0.2, 0.45), **_BREAKER,
        about="Автоматический выключатель дифференциального тока объединяет защиту от сверхтоков и от "
              "поражения электрическим током при утечке на землю."),
    *_leaves(
        ("Автоматические выключатели", "В литом корпусе"), (("3P", {}),),
        vid="Автоматический выключатель",
        name="Автоматический выключатель в литом корпусе {series} 3P {i}А {ka}кА {brand}",
        article="{code}-3-{i:04d}-{ka}",
        codes=("SVA", "mccb99", "LV5", "1SDA", "22", "OMD"),
        series=("ВА88-35", "ВА-99 PROxima", "EasyPact CVS", "Tmax XT", "ВА-300", "OptiMat D"),
        dims=(("i", (16, 25, 40, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800)),
              ("ka", (25, 35, 50, 75))),
        props=(("Номинальный ток, А", "{i}"), ("Количество полюсов", "3P"),
               ("Отключающая способность, кА", "{ka}"), ("Способ монтажа", "монтажная панель")),
        price=(4500, 98000), weight=(1.1, 12.0), **_BREAKER,
        about="Силовой автоматический выключатель в литом корпусе с термомагнитным расцепителем для "
              "вводно-распределительных устройств."),
    *_leaves(
        ("Устройства защитного отключения", "Выключатели дифференциального тока"),
        (("2P", {"p": 2, "pm": 1.0}), ("4P", {"p": 4, "pm": 1.9})),
        vid="УЗО",
        name="Выключатель дифференциального тока (УЗО) {series} {p}P {i}А {leak}мА тип {t} {brand}",
        article="{code}-{p}-{i:03d}-{leak:03d}-{t}",
        codes=("MDV10", "elcb", "A9R", "2CSF2", "14", "VD63"),
        series=("ВД1-63", "ВДТ-40 PROxima", "Acti9 iID", "F202", "УЗО-03", "OptiDin VD63"),
        dims=(("i", (16, 25, 32, 40, 63, 80, 100)), ("leak", (10, 30, 100, 300)), ("t", ("AC", "A"))),
        props=(("Номинальный ток, А", "{i}"), ("Количество полюсов", "{p}P"),
               ("Номинальный отключающий дифференциальный ток, мА", "{leak}"), ("Тип УЗО", "{t}"),
               ("Способ монтажа", "DIN-рейка")),
        price=(900, 6800), weight=(0.2, 0.42), okpd2="27.12.24.000", tnved="8536301000",
        about="Устройство защитного отключения защищает людей от поражения током и предотвращает "
              "возгорание при токах утечки."),
    *_leaves(
        ("Электроустановочные изделия", "Розетки"), _MOUNTS,
        vid="Розетка",
        name="Розетка {n}-местная {where} с заземлением {shutter} {series} {color_f} {brand}",
        article="{code}-R{n}{color_n}{shutter_n}-{mnt}",
        dims=(("n", (1, 2, 3)), ("color", _COLOURS), ("shutter", ("без шторок", "со шторками"))),
        props=(("Количество постов", "{n}"), ("Цвет", "{color}"), ("Защитные шторки", "{shutter}"),
               ("Степень защиты", "{ip}"), ("Способ монтажа", "{mount}"), ("Номинальный ток, А", "16")),
        price=(110, 950), weight=(0.06, 0.25), **_ACCESSORY,
        about="Розетка с заземляющим контактом для подключения бытовых и офисных электроприборов, "
              "номинальный ток 16 А, напряжение 250 В."),
    *_leaves(
        ("Электроустановочные изделия", "Выключатели"), _MOUNTS,
        vid="Выключатель",
        name="Выключатель {n}-клавишный {where} {light} {series} {color} {brand}",
        article="{code}-V{n}{color_n}{light_n}-{mnt}",
        dims=(("n", (1, 2, 3)), ("color", _COLOURS), ("light", ("без подсветки", "с подсветкой"))),
        props=(("Количество клавиш", "{n}"), ("Цвет", "{color}"), ("Подсветка", "{light}"),
               ("Степень защиты", "{ip}"), ("Способ монтажа", "{mount}"), ("Номинальный ток, А", "10")),
        price=(95, 850), weight=(0.05, 0.2), **_ACCESSORY,
        about="Клавишный выключатель для управления освещением, номинальный ток 10 А, напряжение 250 В."),
    *_leaves(
        ("Кабельно-проводниковая продукция", "Кабель силовой"),
        tuple((mark, {"mark": mark, "mk": mk}) for mark, mk in (("ВВГнг(А)-LS", "L"), ("ВВГнг(А)-FRLS", "F"),
                                                                ("NYM", "N"))),
        vid="Кабель",
        name="Кабель {mark} {cores}х{section} ок(N,PE)-0,66 (бухта {length} м) {brand}",
        article="{code}-{mk}{cores}{section_n}-{length:03d}",
        codes=("KVV", "kab", "CBL", "2CKA", "40", "KK"),
        series=("ЭНЕРГИЯ", "PROxima Cable", "Cable Line", "Cable Pro", "Провод", "OptiCable"),
        dims=(("section", ("1,5", "2,5", "4", "6", "10", "16", "25")), ("cores", (2, 3, 4, 5)),
              ("length", (50, 100, 200))),
        props=(("Марка кабеля", "{mark}"), ("Число жил", "{cores}"), ("Сечение жилы, мм²", "{section}"),
               ("Длина, м", "{length}"), ("Материал жилы", "медь"), ("Номинальное напряжение, В", "660")),
        price=(1800, 400000), weight=(3.0, 400.0), price_by=("section", "section", "cores", "length"),
        okpd2="27.32.13.154", tnved="8544492000", variant=("Цвет оболочки", ("чёрный", "белый", "серый")),
        about="Силовой кабель с медными жилами в оболочке из ПВХ пониженной пожароопасности для "
              "стационарной прокладки."),
    *_leaves(
        ("Щиты и корпуса", "Щиты распределительные"),
        (("Навесные", {"mount": "навесной", "mn": "н"}),
         ("Встраиваемые", {"mount": "встраиваемый", "mn": "в", "pm": 1.15})),
        vid="Щит распределительный",
        name="Щит распределительный {mount} {material} ЩР{mn}-{modules} {ip} {series} {brand}",
        article="{code}-{mn}-{modules:02d}-{ip_n}{material_n}",
        codes=("MKM14", "mb22", "PRA", "1SPE", "31", "OB"),
        series=("TITAN", "PROxima", "Pragma", "Mistral", "ЩРН", "OptiBox"),
        dims=(("modules", (4, 6, 8, 12, 18, 24, 36, 48, 54, 72)), ("ip", ("IP31", "IP41", "IP54", "IP65")),
              ("material", ("металлический", "пластиковый"))),
        props=(("Количество модулей", "{modules}"), ("Степень защиты", "{ip}"),
               ("Материал корпуса", "{material}"), ("Способ монтажа", "{mount}")),
        price=(650, 16000), weight=(0.4, 14.0), okpd2="27.12.31.000", tnved="8537109800",
        about="Корпус для сборки распределительных щитов с модульным оборудованием на DIN-рейке."),
    *_leaves(
        ("Светотехника", "Светильники светодиодные"),
        (("Офисные", {"lt": "O", "use": "офисный",
                      "dims": (("w", (18, 24, 36, 40, 50)), ("k", (3000, 4000, 5000, 6500)),
                               ("ip", ("IP20", "IP40", "IP54")))}),
         ("Промышленные", {"lt": "P", "use": "промышленный", "pm": 2.5,
                           "dims": (("w", (50, 70, 100, 150, 200)), ("k", (4000, 5000, 6500)),
                                    ("ip", ("IP54", "IP65", "IP67")))}),
         ("Уличные", {"lt": "U", "use": "уличный", "pm": 2.2,
                      "dims": (("w", (30, 50, 100, 150, 200)), ("k", (3000, 4000, 5000)),
                               ("ip", ("IP65", "IP66", "IP67")))})),
        vid="Светильник",
        name="Светильник светодиодный {use} {series} {w}Вт {k}К {ip} {brand}",
        article="{code}-{lt}-{w:03d}-{k}-{ip_n}",
        codes=("LDPO0", "LE-LED", "PAC", "2CLS", "LED", "OL"),
        series=("ДПО 4001", "LE-LED-OFFICE", "Pacific LED", "SL-LED", "ДСП-02", "OptiLED"),
        dims=(),
        props=(("Мощность, Вт", "{w}"), ("Цветовая температура, К", "{k}"), ("Степень защиты", "{ip}"),
               ("Номинальное напряжение, В", "230")),
        price=(450, 6500), weight=(0.5, 9.0), okpd2="27.40.39.110", tnved="9405420039",
        variant=("Цвет корпуса", ("белый", "серый", "чёрный")),
        about="Светодиодный светильник с драйвером и рассеивателем, коэффициент пульсаций менее 5 %."),
    *_leaves(
        ("Светотехника", "Лампы светодиодные"),
        (("E27", {"base": "E27", "dims": (("w", (7, 9, 11, 13, 15, 20, 25)),
                                          ("shape", ("A60", "A65", "G45", "R63")),
                                          ("k", (3000, 4000, 6500)))}),
         ("E14", {"base": "E14", "dims": (("w", (5, 7, 9, 11)), ("shape", ("C37", "G45", "P45", "R50")),
                                          ("k", (3000, 4000, 6500)))}),
         ("GU10", {"base": "GU10", "dims": (("w", (5, 7, 9)), ("shape", ("MR16", "PAR16")),
                                            ("k", (3000, 4000, 6500)))})),
        vid="Лампа",
        name="Лампа светодиодная {shape} {w}Вт 230В {k}К {base} {brand}",
        article="{code}-{shape}-{w:02d}-230-{k}-{base}",
        codes=("LLE", "FLL", "LDS", "2CLL", "LD", "OL"),
        series=("ECO", "simple", "LEDVANCE", "LED Classic", "Лайт", "OptiLamp"),
        dims=(),
        props=(("Мощность, Вт", "{w}"), ("Цветовая температура, К", "{k}"), ("Цоколь", "{base}"),
               ("Форма колбы", "{shape}"), ("Номинальное напряжение, В", "230")),
        price=(55, 480), weight=(0.03, 0.12), pack=10, okpd2="27.40.15.190", tnved="8539520009",
        about="Светодиодная лампа для замены ламп накаливания, срок службы до 30 000 часов."),
    *_leaves(
        ("Низковольтное оборудование", "Контакторы"),
        (("Модульные", {"adj": "модульный ", "lk": "M",
                        "dims": (("i", (16, 20, 25, 40, 63)), ("u", (24, 230)),
                                 ("contacts", ("2НО", "1НО+1НЗ", "4НО")))}),
         ("Малогабаритные", {"adj": "", "lk": "K", "pm": 1.4,
                             "dims": (("i", (9, 12, 18, 25, 32, 40, 50, 65, 80, 95)), ("u", (24, 230, 400)),
                                      ("contacts", ("1НО", "1НЗ", "1НО+1НЗ")))})),
        vid="Контактор",
        name="Контактор {adj}{series} {i}А катушка {u}В {contacts} {brand}",
        article="{code}-{lk}{i:03d}-{u}-{contacts_n}",
        codes=("KKM11", "ctr", "LC1", "1SBL", "220", "KM"),
        series=("КМИ", "КМЭ", "TeSys D", "AF", "КМ-103", "OptiStart K"),
        dims=(),
        props=(("Номинальный ток, А", "{i}"), ("Напряжение катушки, В", "{u}"), ("Контакты", "{contacts}"),
               ("Способ монтажа", "DIN-рейка")),
        price=(650, 9800), weight=(0.2, 1.6), okpd2="27.12.24.120", tnved="8536490000",
        about="Электромагнитный контактор для коммутации двигателей, освещения и нагревательных цепей."),
])
