"""The blocking rules: which pairs of nodes are scored at all."""

from __future__ import annotations

from pipelines.identity.comparisons import ESTIMATED_DATES

# Which pairs are scored: the code's, not the artefact's, so that they always
# agree with the same rules run in PostgreSQL (sql/candidates.sql). The rules
# that block on a name without the birth date find a person whose birth date is
# wrong; they only pair dates the dob comparison can still score as evidence
# (a typo, an estimate; within a year only where the mothers agree too).
# Unbounded, namesakes born the same year (or to a same-named mother) met in
# blocks that grow with the square of the province: the name + year rule alone
# made 92% of the 1 M sample's pairs, none of which could reach the review band
# (docs/identity.md).
#
# Name + year is written as four rules that DuckDB can join on equal keys: a
# typo in the day keeps the month, one in the month keeps the day, and an
# estimated date on one side filters that side before the join. As one rule
# with ORs, DuckDB paired every namesake of the year first and filtered after:
# 88 s against 25 s for a batch of 0.93 M of the province's nodes.
_NAME_YEAR = "l.name_skel = r.name_skel AND l.birth_year = r.birth_year"
_TYPO = "damerau_levenshtein(CAST(l.dob AS VARCHAR), CAST(r.dob AS VARCHAR)) <= 1"
_SAME_LAST = "split_part(l.name_key, ' ', -1) = split_part(r.name_key, ' ', -1)"
BLOCKING_RULES = [
    "l.nik = r.nik",
    "l.dob = r.dob AND l.first_skel = r.first_skel",
    f"l.dob = r.dob AND {_SAME_LAST}",
    "l.dob = r.dob AND l.mother_skel = r.mother_skel",
    f"{_NAME_YEAR} AND month(l.dob) = month(r.dob) AND {_TYPO}",
    f"{_NAME_YEAR} AND day(l.dob) = day(r.dob) AND {_TYPO}",
    f"{_NAME_YEAR} AND month(l.dob) = day(r.dob) AND day(l.dob) = month(r.dob)",
    f"{_NAME_YEAR} AND strftime(l.dob, '%m-%d') IN {ESTIMATED_DATES}",
    f"{_NAME_YEAR} AND strftime(r.dob, '%m-%d') IN {ESTIMATED_DATES}",
    "l.name_skel = r.name_skel AND l.nik_birth = r.nik_birth",
    "l.name_skel = r.name_skel AND l.mother_skel = r.mother_skel AND (l.dob IS NULL OR r.dob IS NULL"
    " OR abs(date_diff('day', l.dob, r.dob)) <= 366 OR strftime(l.dob, '%m-%d') = strftime(r.dob, '%m-%d'))",
    # Neighbours: where the name or the date is corrupted, the desa or the address
    # still holds (FEBRL's postcode and street): one desa and the birth date or
    # the name's skeleton, one address and the birth date. Every rule on equal
    # keys grows with the square of the people sharing them: in one desa, a given
    # name with the last word's initial (or the reverse) made 0.57 M (0.97 M)
    # pairs of the 1 M sample, the whole name 0.19 M, the date 0.04 M. An address
    # recurs from desa to desa (KP. SUKAMAJU): with a given name it made 185 k
    # pairs of the 100 k sample, with the birth date 2 k.
    "l.desa = r.desa AND l.dob = r.dob",
    "l.desa = r.desa AND l.name_skel = r.name_skel",
    "l.address_key = r.address_key AND l.dob = r.dob",
]
# Where Splink's settings hold them; the artefact never does (see scoring.load_model).
BLOCKING_KEY = "blocking_rules_to_generate_predictions"

# Pairs are thresholded inside DuckDB (a province has tens of millions of weak
# blocked pairs), except same-NIK pairs: a NIK collision scores low and still
# has to be seen, so those are scored again without a threshold.
SAME_NIK = ["l.nik = r.nik"]
