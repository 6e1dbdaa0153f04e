"""Vietnamese text from old library systems: TCVN3 (ABC, TCVN 5712:1993 VN3) and VNI-Windows,
both 8-bit encodings that MARC files declare as MARC-8 (leader/09 blank) or even as UTF-8.

`decode(raw, encoding)` turns the record's bytes (read losslessly as ISO 8859-1 characters)
into Unicode NFC; `guess(raw)` says which reading gives Vietnamese, by checking that the
words carrying diacritics are well-formed Vietnamese syllables (one tone mark, a valid onset,
vowel group and ending). A reading where too many such words are malformed is "unreadable".
"""

import re
import unicodedata

# TCVN3 (ABC): one byte per letter. Capital letters with a tone mark have no code of their
# own (the .VnTimeH fonts draw the lowercase codes as capitals), so only these seven exist.
_TCVN3 = dict(
    zip(
        "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦",
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
        strict=True,
    )
)

# VNI-Windows: a base letter followed by one mark byte; a few letters have one byte each.
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
_VNI_TONES = {"ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRCUMFLEX = {"â": "", "à": _GRAVE, "á": _ACUTE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "è": _GRAVE, "é": _ACUTE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
_VNI_SINGLE = {"æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ", "ô": "ơ", "ö": "ư"}
_VNI_SINGLE_UPPER = {k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}


def _vni_pairs() -> dict[str, str]:
    pairs = {}
    for base in "aeouyAEOUY":
        for mark, tone in _VNI_TONES.items():
            for m in (mark, mark.upper()):
                pairs[base + m] = unicodedata.normalize("NFC", base + tone)
    for base in "aeoAEO":
        for mark, tone in _VNI_CIRCUMFLEX.items():
            for m in (mark, mark.upper()):
                pairs[base + m] = unicodedata.normalize("NFC", base + _CIRCUMFLEX + tone)
    for base in "aA":
        for mark, tone in _VNI_BREVE.items():
            for m in (mark, mark.upper()):
                pairs[base + m] = unicodedata.normalize("NFC", base + _BREVE + tone)
    for byte, letter in (("ô", "ơ"), ("ö", "ư"), ("Ô", "Ơ"), ("Ö", "Ư")):
        for mark, tone in _VNI_TONES.items():
            for m in (mark, mark.upper()):
                pairs[byte + m] = unicodedata.normalize("NFC", letter + tone)
    return pairs


_VNI_PAIRS = _vni_pairs()

ENCODINGS = ("tcvn3", "vni")


def decode_tcvn3(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(_TCVN3.get(ch, ch) for ch in text))


def decode_vni(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            i += 2
            continue
        ch = text[i]
        out.append(_VNI_SINGLE.get(ch) or _VNI_SINGLE_UPPER.get(ch) or ch)
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def decode(text: str, encoding: str) -> str:
    """`text` holds the legacy bytes as ISO 8859-1 characters (one character per byte)."""
    if encoding == "tcvn3":
        return decode_tcvn3(text)
    if encoding == "vni":
        return decode_vni(text)
    raise ValueError(encoding)


# --- Is it Vietnamese? ---------------------------------------------------------------------

_TONES = {_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT}
_ONSETS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_SYLLABLE = re.compile(rf"^(?:{_ONSETS})?[aăâeêioôơuưy]{{1,3}}(?:ch|nh|ng|c|m|n|p|t)?$")
_WORD = re.compile(r"[^\W\d_]+")


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONES)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return bool(_SYLLABLE.match(bare))


def vietnamese_ratio(text: str) -> float | None:
    """Share of the words with a non-ASCII letter that are well-formed Vietnamese syllables;
    None when no word has one (plain ASCII says nothing). A character that is not a letter,
    a digit, punctuation or a space (a symbol, a control code) counts as a malformed word."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    odd = sum(1 for ch in text if not ch.isascii() and unicodedata.category(ch)[0] not in "LNPZ")
    if not words and not odd:
        return None
    good = sum(1 for w in words if _is_syllable(w))
    return good / (len(words) + odd)


THRESHOLD = 0.8


def guess(text: str, *, declared: str) -> tuple[str | None, float | None]:
    """The best reading of `text` (ISO 8859-1 characters): (encoding, ratio), where encoding is
    "tcvn3" or "vni" when one of them reads as Vietnamese better than the declared reading
    `declared` (already decoded, e.g. by MARC-8), None when the declared one is as good.
    The ratio is that of the chosen reading (None when nothing non-ASCII was found)."""
    baseline = vietnamese_ratio(declared)
    if baseline is None:
        return None, None
    best, best_ratio = None, baseline
    for encoding in ENCODINGS:
        ratio = vietnamese_ratio(decode(text, encoding))
        if ratio is not None and ratio >= THRESHOLD and ratio > best_ratio:
            best, best_ratio = encoding, ratio
    return best, best_ratio
