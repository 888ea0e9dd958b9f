"""Indonesian names and birth places, normalised for matching (never for display).

SIAK keeps whatever the registrar typed, so one human appears as
"H. MOCH. DJUNAEDI, S.PD" in one district and "MUHAMMAD JUNAEDI" in another.
Matching compares three derived forms:

- `name_key`: upper case, titles stripped, punctuation and apostrophes gone,
  the Muhammad family folded to MUHAMMAD, ABD to ABDUL, old spellings modernised
  (oe→u, dj→j, tj→c). Tokens separated by one space.
- `skeleton`: `name_key` with the spelling choices that registrars make
  interchangeably folded away (KH/H, SY/S, Z/J/Y/I, F/P, AE/AI, doubled
  letters, a final H); spaces removed, so "ABDUL RAHMAN" and "ABDULRAHMAN" agree.
- `initials`: first letter of every token, for "SITI N. HALIMAH" vs
  "SITI NUR HALIMAH".

The display name keeps its titles: these functions are only for comparing.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Honorifics and academic degrees written before or after the name. Compared
# after punctuation is gone, so "S.PD" arrives here as the tokens S PD (or SPD).
_PREFIX_TITLES = frozenset("H HJ HAJI HAJJAH DRS DRA DR IR PROF KH TB RATU RADEN RD NY NN TN".split())
_DEGREE_TOKENS = frozenset(
    """SPD SPDI SE SH SKOM SAG SSOS SIP ST SKEP SKM SFARM SPSI SSI SS SHI SHUM SAB SKED STP SP
    AMD AMDKEB AMDKEP AMK MPD MSI MM MAG MH MT MKOM MKES SPOG SPA PHD BSC MBA DRG""".split())
_MUHAMMAD = frozenset("MUHAMMAD MUHAMAD MOHAMMAD MOHAMAD MOCHAMMAD MOCHAMAD MUCHAMMAD MUCHAMAD MOHAMMED "
                      "MUHAMMED MUHHAMAD MOHD MUH MOH MOCH MUCH MHD MUHAMMADI".split())
_ABDUL = frozenset("ABD ABDUL ABDOEL ABDOL".split())
_ABDULLAH = frozenset("ABDULLAH ABDULAH".split())  # a name of its own, not ABDUL + LAH
_OLD_SPELLING = (("OE", "U"), ("DJ", "J"), ("TJ", "C"), ("SJ", "SY"), ("NJ", "NY"), ("CH", "KH"))
# Interchangeable spellings folded for the skeleton (order matters: digraphs first).
# The old spelling wrote Y as J (JULIANI, HIDAJAT): J cannot be modernised in
# name_key, since modern names keep their J (JAJANG), so J, Y and I fold here.
_SKELETON = (("KH", "H"), ("SY", "S"), ("TH", "T"), ("DH", "D"), ("PH", "F"), ("Q", "K"), ("Z", "J"),
             ("J", "Y"), ("V", "F"), ("F", "P"), ("Y", "I"), ("AE", "AI"))
_NOT_LETTER = re.compile(r"[^A-Z ]+")
_DOUBLE = re.compile(r"(.)\1+")


def _tokens(text: str | None) -> list[str]:
    if not text:
        return []
    upper = text.upper().replace("'", "").replace("`", "").replace("’", "")
    return _NOT_LETTER.sub(" ", upper).split()


def _strip_titles(tokens: list[str]) -> list[str]:
    """Drop leading honorifics and trailing degrees; never drop the whole name.
    A degree loses its dots before this, so S.PD.I arrives as S PD I."""
    kept = list(tokens)
    stripped = True
    while stripped:
        stripped = False
        for width in (3, 2, 1):
            if len(kept) > width and "".join(kept[-width:]) in _DEGREE_TOKENS:
                del kept[-width:]
                stripped = True
                break
    while len(kept) > 1 and kept[0] in _PREFIX_TITLES:
        kept.pop(0)
    return kept


def _modern(token: str) -> str:
    for old, new in _OLD_SPELLING:
        token = token.replace(old, new)
    return token


def _canonical(tokens: list[str]) -> list[str]:
    out = []
    for i, token in enumerate(tokens):
        # A lone M leading a multi-part name is Muhammad ("M. RIZKY"); elsewhere it is an initial.
        if token in _MUHAMMAD or (token == "M" and i == 0 and len(tokens) > 1):
            out.append("MUHAMMAD")
            continue
        token = _modern(token)
        if token in _ABDUL:
            token = "ABDUL"
        elif token.startswith("ABDUL") and len(token) > 6 and token not in _ABDULLAH:  # ABDULRAHMAN -> ABDUL RAHMAN
            out.append("ABDUL")
            token = token[5:]
        out.append(token)
    return out


@lru_cache(maxsize=500_000)
def name_key(name: str | None) -> str:
    """Upper-case tokens without titles or punctuation, with canonical spellings."""
    return " ".join(_canonical(_strip_titles(_tokens(name))))


@lru_cache(maxsize=500_000)
def skeleton(key: str) -> str:
    """The spelling-insensitive form of a name_key (or any token), spaces removed."""
    text = key.replace(" ", "")
    for old, new in _SKELETON:
        text = text.replace(old, new)
    text = _DOUBLE.sub(r"\1", text)
    return text[:-1] if len(text) > 3 and text.endswith("H") else text


def first_token(key: str) -> str:
    """The given name, skipping a leading MUHAMMAD (which half the men share)."""
    parts = key.split()
    if len(parts) > 1 and parts[0] == "MUHAMMAD":
        return parts[1]
    return parts[0] if parts else ""


def initials(key: str) -> str:
    return "".join(token[0] for token in key.split())


_PLACE_PREFIX = frozenset("KAB KABUPATEN KOTA KOTAMADYA KOT KEC DESA DS KP KAMPUNG".split())
_PLACE_ABBREVIATIONS = {"TNG": "TANGERANG", "TGR": "TANGERANG", "SRG": "SERANG", "PDG": "PANDEGLANG",
                        "CLG": "CILEGON", "JKT": "JAKARTA", "TANGSEL": "TANGERANG SELATAN",
                        "JAKBAR": "JAKARTA BARAT", "JAKSEL": "JAKARTA SELATAN", "JAKTIM": "JAKARTA TIMUR",
                        "JAKPUS": "JAKARTA PUSAT", "JAKUT": "JAKARTA UTARA", "RANGKAS": "RANGKASBITUNG",
                        "TANGGERANG": "TANGERANG"}


@lru_cache(maxsize=100_000)
def place_key(place: str | None) -> str:
    """A birth place without administrative prefixes, with common abbreviations spelled out."""
    tokens = [t for t in _tokens(place) if t not in _PLACE_PREFIX]
    text = " ".join(_modern(t) for t in tokens)
    return _PLACE_ABBREVIATIONS.get(text, text)


_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
# A desk writes the same street or kampung with or without its abbreviation.
_ADDRESS_WORDS = {"JL": "JALAN", "JLN": "JALAN", "KP": "KAMPUNG", "KMP": "KAMPUNG", "GG": "GANG", "PERUM": "PERUMAHAN",
                  "KOMP": "KOMPLEK", "KOMPLEKS": "KOMPLEK", "BLK": "BLOK", "NO": "", "NOMOR": ""}


@lru_cache(maxsize=100_000)
def address_key(address: str | None) -> str:
    """A free-text address as comparable words: upper case, no punctuation, the
    usual abbreviations spelled out, house numbers kept without leading zeros."""
    tokens = _NOT_ALNUM.sub(" ", (address or "").upper()).split()
    words = (t.lstrip("0") or "0" if t.isdigit() else _ADDRESS_WORDS.get(t, t) for t in tokens)
    return " ".join(w for w in words if w)
