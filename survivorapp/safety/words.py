"""Words that would tell a bystander what the app is for, in every language it offers.

The admin's brand name is checked against them, and the tests scan every page title, public
page and catalogue string with them (DESIGN.md §2.1).
"""

from __future__ import annotations

import html
import unicodedata

# Words that give the app away, per language (matched case-insensitively as substrings, so
# short or ambiguous words are given as phrases). Add words freely; never remove one.
GIVEAWAYS: dict[str, list[str]] = {
    "en": [
        "traffick", "trafficking", "trafficked", "trafficker", "survivor", "victim", "abuse",
        "abusive", "exploit", "exploitation", "exploited", "slave", "casework", "shelter",
        "safe house", "case worker", "caseworker",
        "case manager", "social worker", "modern slavery", "slavery", "forced labour",
        "forced labor", "sex work", "domestic violence", "rescue", "refuge", "hotline",
    ],
    "es": [
        "trata de personas", "tráfico de personas", "trata de seres humanos", "sobreviviente",
        "superviviente", "víctima", "abuso", "explotación", "refugio", "albergue",
        "casa de acogida", "trabajador social", "trabajadora social", "gestor de casos",
        "gestora de casos", "esclavitud", "violencia doméstica",
    ],
    "fr": [
        "traite des êtres humains", "traite d'êtres humains", "trafic d'êtres humains",
        "survivant", "victime", "abus", "exploitation", "refuge", "foyer d'accueil",
        "centre d'hébergement", "travailleur social", "travailleuse sociale",
        "assistant social", "assistante sociale", "esclavage", "violence conjugale",
    ],
    "pt": [
        "tráfico de pessoas", "tráfico humano", "sobrevivente", "vítima", "abuso",
        "exploração", "abrigo", "casa de acolhimento", "assistente social",
        "gestor de caso", "escravidão", "escravatura", "violência doméstica",
    ],
    "ar": [
        "الاتجار بالبشر", "الاتجار بالأشخاص", "الناجين", "الناجيات", "ناجية",
        "ضحية", "ضحايا", "إساءة", "الإساءة", "استغلال", "الاستغلال", "مأوى", "ملجأ",
        "دار إيواء", "أخصائي اجتماعي", "أخصائية اجتماعية", "مدير الحالة", "العبودية",
    ],
    "uk": [
        "торгівля людьми", "торгівлі людьми", "вижила", "вижилий", "вижилих", "жертва",
        "жертви", "постраждал", "насильств", "зловживання", "експлуатац", "притулок",
        "притулку", "соціальний працівник", "соціальна працівниця", "кейс-менеджер",
        "рабство",
    ],
    "ro": [
        "trafic de persoane", "traficul de persoane", "trafic de ființe umane",
        "supraviețuitor", "supraviețuitoare", "victimă", "victime", "abuz", "exploatare",
        "adăpost", "asistent social", "asistentă socială", "manager de caz", "sclavie",
    ],
    "vi": [
        "buôn bán người", "mua bán người", "buôn người", "người sống sót", "nạn nhân",
        "lạm dụng", "bạo hành", "bóc lột", "nhà tạm lánh", "nơi trú ẩn",
        "nhân viên xã hội", "cán bộ phụ trách", "nô lệ",
    ],
    "th": [
        "การค้ามนุษย์", "ค้ามนุษย์", "ผู้รอดชีวิต", "เหยื่อ", "การล่วงละเมิด", "ล่วงละเมิด",
        "การทารุณ", "การแสวงหาประโยชน์", "แสวงประโยชน์", "สถานพักพิง", "บ้านพักฉุกเฉิน",
        "ที่พักพิง", "นักสังคมสงเคราะห์", "ผู้จัดการรายกรณี", "การเป็นทาส", "แรงงานทาส",
    ],
    "tl": [
        "human trafficking", "pangangalakal ng tao", "pagbebenta ng tao", "nakaligtas",
        "biktima", "pang-aabuso", "inabuso", "pagsasamantala", "pinagsamantalahan",
        "kanlungan", "silungan", "social worker", "case worker", "pang-aalipin",
    ],
}  # fmt: skip
WORDS = sorted({w for words in GIVEAWAYS.values() for w in words})
LATIN_AND_CYRILLIC_END = 0x0530  # below it: Latin, Greek and Cyrillic letters


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", html.unescape(text)).casefold()


def _fold(text: str) -> str:
    """`text` without the accents of Latin and Cyrillic letters, as people often type it
    ("Trafico", "Vitima", "ţ" for "ț"). Thai and Arabic marks stay: they make other words."""
    kept, base = [], ""
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            if base and ord(base) < LATIN_AND_CYRILLIC_END:
                continue
        else:
            base = char
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


FOLDED = {word: _fold(_norm(word)) for word in WORDS}


def giveaways(text: str) -> list[str]:
    """The giveaway words in `text` (any language, any case, with or without accents, HTML
    entities decoded)."""
    text = _norm(text)
    folded = _fold(text)
    return [w for w in WORDS if _norm(w) in text or FOLDED[w] in folded]
