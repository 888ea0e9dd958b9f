"""One variation of a name or a birth date, as a second desk writes it.

Each function takes the clean value and a `random.Random` and returns the
varied value, or None when the class cannot apply to that value (a one-word
name has no last word to drop). A varied value always differs from the clean one.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from catalogue.names import DEGREES_AFTER, DEGREES_BEFORE, TITLES_HAJJ

# Pre-1972 (Van Ophuijsen / Soewandi) spellings still carried by older people
# and their families' documents: modern -> old; one rule is applied throughout a name.
OLD_SPELLING = [(r"U", "OE"), (r"J", "DJ"), (r"C", "TJ"), (r"KH", "CH"), (r"SY", "SJ"), (r"NY", "NJ"),
                (r"(?<![NS])Y", "J")]

# Spellings that sound alike in Sundanese, Javanese and Arabic-derived names
# (one occurrence changes): pattern -> replacement.
PHONETIC = [(r"Y", "I"), (r"I\b", "Y"), (r"KH", "H"), (r"(?<!K)H(?=[AIUEO])", "KH"), (r"Z", "J"),
            (r"U", "O"), (r"O", "U"), (r"F", "P"), (r"P", "F"), (r"V", "F"), (r"F", "V"), (r"SY", "S"),
            (r"DZ", "Z"), (r"Z\b", "DZ")]

OCR = {"O": "0", "I": "1", "S": "5", "B": "8", "G": "6", "Z": "2", "D": "0"}

_ROWS = ["QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]
# each row sits half a key right of the one above it
KEY_NEIGHBOURS = {
    key: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
    + "".join(_ROWS[r - 1][j] for j in (i, i + 1) if r > 0 and j < len(_ROWS[r - 1]))
    + "".join(_ROWS[r + 1][j] for j in (i - 1, i) if r < 2 and 0 <= j < len(_ROWS[r + 1]))
    for r, row in enumerate(_ROWS) for i, key in enumerate(row)
}


def _letters(name: str) -> list[int]:
    return [i for i, c in enumerate(name) if c.isalpha()]


def old_spelling(name: str, rng: random.Random) -> str | None:
    rules = [(p, r) for p, r in OLD_SPELLING if re.search(p, name)]
    if not rules:
        return None
    pattern, old = rng.choice(rules)
    return re.sub(pattern, old, name)


def phonetic(name: str, rng: random.Random) -> str | None:
    places = [(m.start(), m.end(), r) for p, r in PHONETIC for m in re.finditer(p, name)]
    if not places:
        return None
    start, end, repl = rng.choice(places)
    return name[:start] + repl + name[end:]


def title(name: str, rng: random.Random, sex: str, age: int) -> str | None:
    """A pilgrimage title or an academic degree, as some desks write them into NAMA_LGKP."""
    if age < 22:
        return None
    draw = rng.random()
    if draw < 0.5 and age >= 25:
        return f"{TITLES_HAJJ[sex]} {name}"
    if draw < 0.85:
        return f"{name}, {rng.choice(DEGREES_AFTER)}"
    return f"{rng.choice(DEGREES_BEFORE)} {name}"


def initial_given_name(name: str, rng: random.Random) -> str | None:
    words = name.split()
    if len(words) < 2 or len(words[0]) < 3:
        return None
    return " ".join([words[0][0] + ("." if rng.random() < 0.3 else "")] + words[1:])


def dropped_letter(name: str, rng: random.Random) -> str | None:
    places = [i for i in _letters(name) if i > 0 and name[i - 1] != " "]  # keep each word's first letter
    if not places:
        return None
    i = rng.choice(places)
    return name[:i] + name[i + 1:]


def doubled_letter(name: str, rng: random.Random) -> str | None:
    i = rng.choice(_letters(name))
    return name[:i + 1] + name[i:]


def transposed_letters(name: str, rng: random.Random) -> str | None:
    places = [i for i in range(len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha() and name[i] != name[i + 1]]
    if not places:
        return None
    i = rng.choice(places)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def dropped_last_word(name: str, rng: random.Random) -> str | None:
    words = name.split()
    return " ".join(words[:-1]) if len(words) >= 2 else None


def keyboard_typo(name: str, rng: random.Random) -> str | None:
    i = rng.choice(_letters(name))
    return name[:i] + rng.choice(KEY_NEIGHBOURS[name[i]]) + name[i + 1:]


def ocr_typo(name: str, rng: random.Random) -> str | None:
    places = [i for i, c in enumerate(name) if c in OCR]
    if not places:
        return None
    i = rng.choice(places)
    return name[:i] + OCR[name[i]] + name[i + 1:]


def day_month_swapped(day: dt.date, rng: random.Random) -> dt.date | None:
    if day.day > 12 or day.day == day.month:
        return None
    return day.replace(month=day.day, day=day.month)


def dob_typo(day: dt.date, rng: random.Random, night: dt.date) -> dt.date | None:
    """One digit of YYYYMMDD wrong, still a real date, not after the night, age at most 100."""
    text = day.strftime("%Y%m%d")
    options = []
    for i in range(2, 8):  # the century digits are not where desks slip
        for digit in "0123456789":
            if digit == text[i]:
                continue
            candidate = text[:i] + digit + text[i + 1:]
            try:
                varied = dt.datetime.strptime(candidate, "%Y%m%d").date()
            except ValueError:
                continue
            if varied <= night and night.year - varied.year <= 100:
                options.append(varied)
    return rng.choice(options) if options else None


NAME_CLASSES = ("old_spelling", "title", "initial_given_name", "dropped_letter", "doubled_letter",
                "transposed_letters", "dropped_last_word", "keyboard_typo", "ocr_typo", "phonetic")
DATE_CLASSES = ("day_month_swapped", "dob_typo")
