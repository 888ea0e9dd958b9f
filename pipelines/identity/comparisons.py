"""The comparisons: what each level of a pair's fields means for Indonesian records.

Written as DuckDB SQL (spark.py renders them for Spark), every level saying
what it means (see names.py and nik.py). The tier rules (cluster.py) and
Bapenda read levels by label through gamma().
"""

from __future__ import annotations

def _level(sql: str, label: str, null: bool = False) -> dict:
    level = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    return level


def null_level(column: str) -> dict:
    return _level(f'"{column}_l" IS NULL OR "{column}_r" IS NULL', "null", null=True)


def _residence_unknown(column: str) -> dict:
    return _level(f'"{column}_l" IS NULL OR "{column}_r" IS NULL OR "mother_skel_l" = "mother_skel_r"',
                  "unknown, or the mothers agree", null=True)


def _else() -> dict:
    return _level("ELSE", "else")


def _same_or_similar(name: str, description: str, column: str, same: str, threshold: float,
                     null: dict | None = None) -> dict:
    return {"output_column_name": name, "comparison_description": description, "comparison_levels": [
        null or null_level(column), _level(f'"{column}_l" = "{column}_r"', same),
        _level(_jw(column, threshold), f"jaro-winkler >= {threshold}"), _else()]}


def _jw(column: str, threshold: float) -> str:
    return f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {threshold}'


def _contains(column: str) -> str:
    """Every word of one name is a word of the other (HADI HASAN / HADI, SITI AMINAH / AMINAH)."""
    left, right = f"string_split(\"{column}_l\", ' ')", f"string_split(\"{column}_r\", ' ')"
    return f"list_has_all({left}, {right}) OR list_has_all({right}, {left})"


def _abbreviated(column: str) -> str:
    """Same number of words, each written as its initial on one side or else at
    most one letter apart (I NUR / IMAS NUR, B HIDAJAT / BAMBANG HIDAYAT)."""
    left, right = f"string_split(\"{column}_l\", ' ')", f"string_split(\"{column}_r\", ' ')"
    return (f'"initials_l" = "initials_r" AND len({left}) = len({right}) AND list_bool_and(list_transform('
            f"range(1, len({left}) + 1), lambda i: length({left}[i]) = 1 OR length({right}[i]) = 1"
            f" OR damerau_levenshtein({left}[i], {right}[i]) <= 1))")


# An unknown birth date is registered as 1 July or 31 December of the year.
ESTIMATED_DATES = "('07-01', '12-31')"
# The NIK's birth part is written from the birth date: where the dates agree it
# repeats their evidence, so the NIK's partial levels count only where the
# dates differ or one is unknown (then they are evidence of a mistyped date).
_DATES_DIFFER = '("dob_l" IS NULL OR "dob_r" IS NULL OR "dob_l" <> "dob_r")'

COMPARISONS = [
    {"output_column_name": "name", "comparison_description": "full name, titles stripped", "comparison_levels": [
        null_level("name_key"),
        _level('"name_key_l" = "name_key_r"', "same normalised name"),
        _level('"name_skel_l" = "name_skel_r"', "same spelling skeleton"),
        _level(_contains("name_key"), "one name contains the other"),
        _level('"first_skel_l" = "first_skel_r" AND "initials_l" = "initials_r"', "same given name and initials"),
        _level(_abbreviated("name_key"), "a word written as its initial"),
        # On the name as written too: folding YYAN and YAYAN to skeletons puts them two letters apart.
        _level('damerau_levenshtein("name_key_l", "name_key_r") <= 1'
               ' OR damerau_levenshtein("name_skel_l", "name_skel_r") <= 1', "one letter apart"),
        _level(_jw("name_skel", 0.94), "skeleton jaro-winkler >= 0.94"),
        _level(_jw("name_skel", 0.86), "skeleton jaro-winkler >= 0.86"),
        _level('"first_skel_l" = "first_skel_r"', "same given name"),
        _else()]},
    {"output_column_name": "dob", "comparison_description": "birth date", "comparison_levels": [
        null_level("dob"),
        _level('"dob_l" = "dob_r"', "same date"),
        _level(f'"birth_year_l" = "birth_year_r" AND (strftime("dob_l", \'%m-%d\') IN {ESTIMATED_DATES}'
               f' OR strftime("dob_r", \'%m-%d\') IN {ESTIMATED_DATES})', "same year, one date estimated"),
        _level('damerau_levenshtein(CAST("dob_l" AS VARCHAR), CAST("dob_r" AS VARCHAR)) <= 1'
               ' OR ("birth_year_l" = "birth_year_r" AND month("dob_l") = day("dob_r")'
               ' AND day("dob_l") = month("dob_r"))', "one typo, or day and month swapped"),
        _level('abs(date_diff(\'day\', "dob_l", "dob_r")) <= 366', "within a year"),
        _else()]},
    {"output_column_name": "sex", "comparison_description": "sex", "comparison_levels": [
        null_level("sex"), _level('"sex_l" = "sex_r"', "same"), _else()]},
    _same_or_similar("place", "birth place", "place_key", "same place", 0.88),
    {"output_column_name": "mother", "comparison_description": "mother's name", "comparison_levels": [
        null_level("mother_key"),
        _level('"mother_key_l" = "mother_key_r"', "same name"),
        _level('"mother_skel_l" = "mother_skel_r" OR ' + _jw("mother_skel", 0.9), "spelling variant"),
        _level(_contains("mother_key"), "one name contains the other"),
        _else()]},
    {"output_column_name": "father", "comparison_description": "father's name", "comparison_levels": [
        null_level("father_key"),
        _level('"father_key_l" = "father_key_r"', "same name"),
        _level(_jw("father_key", 0.9), "jaro-winkler >= 0.9"),
        _level(_contains("father_key"), "one name contains the other"),
        _else()]},
    # Where the person lives (not part of a node: see features.ADDRESS_COLUMNS).
    # A family lives together: where the mothers' names agree, the address
    # repeats their evidence and counts as unknown (siblings RINI / RIINI, a
    # year apart on two cards in one desa, were joined by counting both). It is
    # trained without that condition (see train): whether a mother's name is
    # written says nothing of where a person lives.
    _same_or_similar("address", "address as written", "address_key", "same address", 0.9,
                     _residence_unknown("address_key")),
    {"output_column_name": "desa", "comparison_description": "desa/kelurahan code", "comparison_levels": [
        _residence_unknown("desa"), _level('"desa_l" = "desa_r"', "same desa"), _else()]},
    # NIK parts compared for what they mean, never the whole number by edit distance.
    {"output_column_name": "nik", "comparison_description": "NIK parts", "comparison_levels": [
        null_level("nik_birth"),
        _level('"nik_l" = "nik_r"', "same NIK"),
        _level('"nik_region_l" = "nik_region_r" AND "nik_birth_l" = "nik_birth_r" AND "nik_sex_l" = "nik_sex_r"'
               f' AND hamming("nik_serial_l", "nik_serial_r") = 1 AND {_DATES_DIFFER}',
               "same region and birth, serial one digit off"),
        _level(f'"nik_birth_l" = "nik_birth_r" AND "nik_sex_l" = "nik_sex_r" AND {_DATES_DIFFER}',
               "same birth date and sex part"),
        _else()]},
]


def gamma(comparison: str, label: str) -> int:
    """The gamma value Splink gives a level: levels count down to 0 (else) from
    the top, the null level aside. The tier rules (cluster.py) and Bapenda read
    levels by label, so a level added to a comparison renumbers nothing they use."""
    levels = next(c for c in COMPARISONS if c["output_column_name"] == comparison)["comparison_levels"]
    labels = [lv["label_for_charts"] for lv in levels if not lv.get("is_null_level")]
    return len(labels) - 1 - labels.index(label)


NAME_SKELETON = gamma("name", "same spelling skeleton")  # at or above: same normalised name or skeleton
NAME_NEAR = gamma("name", "one letter apart")  # at or above: the same name, or nearly
DOB_EXACT, DOB_ESTIMATED = gamma("dob", "same date"), gamma("dob", "same year, one date estimated")
DOB_TYPO = gamma("dob", "one typo, or day and month swapped")
NIK_EXACT = gamma("nik", "same NIK")
MOTHER_SIMILAR = gamma("mother", "one name contains the other")  # at or above: mothers' names do not contradict
