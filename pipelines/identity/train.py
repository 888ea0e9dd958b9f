"""Training the model from unlabelled nodes (`dukcapil identity train`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
from splink import Linker

from pipelines.identity.blocking import BLOCKING_KEY
from pipelines.identity.comparisons import COMPARISONS, null_level
from pipelines.identity.scoring import as_text, duckdb_api, settings

# Training never reads an answer key: u comes from random pairs, m from
# expectation maximisation inside blocks where duplicates are common, each
# block leaving free the comparisons it estimates. Pairs sharing a NIK are
# mostly one person listed twice (movers) against a few collisions: they teach
# how a person's name, date, parents and place vary. Namesakes sharing a
# mother's name teach how often a person's NIK and birth date differ. (A block
# on the birth date and mother's name was tried: there twins outnumber
# duplicates, and EM learnt twins as the matches.)
EM_BLOCKS = ["l.nik = r.nik", "l.name_skel = r.name_skel AND l.mother_skel = r.mother_skel"]
# The prior (how likely two random nodes are one person) is the rate of pairs
# that agree on NIK, name and birth date, taken as this share of all duplicates:
# a stated assumption (movers listed in two districts are most duplicates).
SURE_PAIRS = ["l.nik = r.nik AND l.name_skel = r.name_skel AND l.dob = r.dob"]
SURE_SHARE = 0.6
# A registrar writes any field of a second registration differently now and
# then: at least this share of duplicates is spread over each comparison's
# lower levels, so a level the training nights never showed (an initial for the
# given name, a swapped date) weighs as weak evidence, never as a veto.
FIELD_ERROR = 0.05
U_PAIRS = 5_000_000  # random pairs u is counted on; a level none of them showed gets u = 1 / U_PAIRS


# Where a person lives is learnt only from pairs one district lists, namesakes
# there. Listed by two districts, a duplicate is a mover and its address differs
# by construction; the NIK block is mostly such movers, and EM there put the m
# of "same address" at 1e-74 (a veto on every duplicate registered at home).
RESIDENCE = ("address", "desa")
RESIDENCE_BLOCKS = ["l.export_key = r.export_key AND l.name_skel = r.name_skel AND l.mother_skel = r.mother_skel"]


def _plain_residence(comparison: dict) -> dict:
    """A residence comparison whose null level is only the missing value (for training)."""
    column = "address_key" if comparison["output_column_name"] == "address" else "desa"
    return {**comparison, "comparison_levels": [null_level(column)] + comparison["comparison_levels"][1:]}


def _conditioned(trained: dict, comparison: dict) -> dict:
    """The trained residence comparison with the scoring null level put back."""
    return {**trained, "comparison_levels": [comparison["comparison_levels"][0]] + trained["comparison_levels"][1:]}


def _estimated(nodes: pd.DataFrame, seed: int, sure: list[str], blocks: list[str], comparisons: list[dict]) -> dict:
    with duckdb_api() as api:
        linker = Linker(api.register(as_text(nodes)), settings(comparisons), log_level=logging.WARNING)
        linker.training.estimate_probability_two_random_records_match(sure, recall=SURE_SHARE)
        linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=seed)
        for block in blocks:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block, estimate_without_term_frequencies=True)
        return linker.misc.save_model_to_json()


def train(nodes: pd.DataFrame, out: Path | None = None, seed: int = 36, sure: list[str] = SURE_PAIRS,
          blocks: list[str] = EM_BLOCKS, residence_blocks: list[str] | None = RESIDENCE_BLOCKS) -> dict:
    """Estimate the model from unlabelled nodes and write it as JSON; returns the model dict.
    `sure` and `blocks` are for records without a NIK (FEBRL); without
    `residence_blocks` the address is learnt in `blocks` like the rest."""
    if not residence_blocks:
        model = _estimated(nodes, seed, sure, blocks, COMPARISONS)
    else:
        split = [c["output_column_name"] in RESIDENCE for c in COMPARISONS]
        model = _estimated(nodes, seed, sure, blocks, [c for c, r in zip(COMPARISONS, split) if not r])
        # EM needs the other comparisons beside to tell duplicates from namesakes.
        local = _estimated(nodes, seed, sure, residence_blocks,
                           [_plain_residence(c) if r else c for c, r in zip(COMPARISONS, split)])["comparisons"]
        rest = iter(model["comparisons"])
        model["comparisons"] = [_conditioned(trained, c) if r else next(rest)
                                for trained, c, r in zip(local, COMPARISONS, split)]
    model = _smoothed(model)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        weights = {key: value for key, value in model.items() if key != BLOCKING_KEY}
        out.write_text(json.dumps(weights, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return model


def _smoothed(model: dict, error: float = FIELD_ERROR) -> dict:
    """Spread `error` of each comparison's m over its levels below the top
    (see FIELD_ERROR); a level no random pair showed gets u = 1 / U_PAIRS."""
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        lower = levels[1:]
        for level in lower:
            level["m_probability"] = max(level.get("m_probability") or 0.0, error / len(lower))
        # A field the nodes never fill (FEBRL has no parents) was not trained at all.
        levels[0]["m_probability"] = levels[0].get("m_probability") or 1 - error
        for level in levels:
            level["u_probability"] = level.get("u_probability") or 1 / U_PAIRS
        total = sum(level["m_probability"] for level in levels)
        for level in levels:
            level["m_probability"] /= total
    return model

