"""Where person_id is decided for a night's staged records.

resolve_night stages every decision (new nodes, links, redirects, review
pairs, collisions, each record's person) and publish_identity makes them real
inside the publish transaction, so a crash before publish leaves no trace.
Nothing here logs a name or a NIK: only counts.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

import pandas as pd

from pipelines.identity import cluster as clustering
from pipelines.identity import scoring
from pipelines.identity.features import ADDRESS_COLUMNS, IDENTITY_COLUMNS, node_features
from pipelines.settings import identity_batch
from pipelines.sql import run_statements, sql
from pipelines.warehouse.copy import copy_frame, read_frame
from pipelines.warehouse.indexes import analyze
from pipelines.warehouse.staging import clear_night

log = logging.getLogger(__name__)

NODE_COLUMNS = ["node_id", "person_id", "nik", "no_kk", "name_key", "name_skel", "first_skel", "initials", "sex",
                "dob", "birth_year", "place_key", "mother_key", "mother_skel", "father_key", "nik_region",
                "nik_birth", "nik_sex", "nik_serial", "address_key", "desa"]
KEY_COLUMNS = ["nik", "dob", "first_skel", "mother_skel", "name_skel", "birth_year", "nik_birth", "name_key",
               "address_key", "desa"]
# What identity stages for a night, by the column naming the night.
STAGED_TABLES = {"staging.identity_node": "export_date", "staging.node_person": "export_date",
                 "staging.identity_link": "night", "staging.person_redirect": "night",
                 "staging.identity_review": "night", "staging.nik_collision": "first_night"}
_MINT_BLOCK = 10_000
# New nodes matched at once: Splink needs ~2.6 GiB per million, so a first
# night of the province (12.9 M records) is matched in batches. Batches of
# 1.4 M peaked at 7.5-8.5 GiB there (docs/identity.md): 1 M leaves headroom
# under the 8 GiB a worker is given.
_BATCH = 1_000_000


def batch_size() -> int:
    return identity_batch(_BATCH)


def _sql(name: str) -> str:
    return sql("pipelines.identity", name)


class _Minter:
    """Fresh person ids from warehouse.person_seq, fetched a block at a time."""

    def __init__(self, cur) -> None:
        self.cur, self.pool = cur, []

    def __call__(self) -> str:
        if not self.pool:
            self.cur.execute("SELECT nextval('warehouse.person_seq') FROM generate_series(1, %s)", (_MINT_BLOCK,))
            self.pool = [row[0] for row in self.cur.fetchall()][::-1]
        return f"P{self.pool.pop():010d}"


def _typed(nodes: pd.DataFrame) -> pd.DataFrame:
    """Dates and years back to their types after the CSV round trip."""
    nodes = nodes.copy()
    nodes["dob"] = pd.to_datetime(nodes["dob"]).dt.date
    nodes["birth_year"] = pd.to_numeric(nodes["birth_year"]).astype("Int64")
    return nodes


def _decisions(cur, nodes: set[str]) -> list[tuple[str, str, str]]:
    cur.execute("SELECT node_l, node_r, decision FROM warehouse.identity_review WHERE decision IS NOT NULL")
    return [row for row in cur.fetchall() if row[0] in nodes and row[1] in nodes]


def _stored_links(cur, nodes: list[str]) -> pd.DataFrame:
    cur.execute("""SELECT node_l, node_r, match_weight, rule FROM warehouse.identity_link
                   WHERE node_l = ANY(%(n)s) AND node_r = ANY(%(n)s)""", {"n": nodes})
    return pd.DataFrame(cur.fetchall(), columns=["unique_id_l", "unique_id_r", "match_weight", "rule"])


def _pending_persons(cur) -> set[str]:
    cur.execute("""SELECT DISTINCT n.person_id FROM warehouse.identity_review r
                   JOIN warehouse.identity_node n ON n.node_id IN (r.node_l, r.node_r)
                   WHERE r.decision IS NOT NULL AND r.applied_night IS NULL""")
    return {row[0] for row in cur.fetchall()}


def _sorted_pair(frame: pd.DataFrame) -> pd.DataFrame:
    swap = frame["unique_id_l"] > frame["unique_id_r"]
    frame = frame.copy()
    frame.loc[swap, ["unique_id_l", "unique_id_r"]] = frame.loc[swap, ["unique_id_r", "unique_id_l"]].to_numpy()
    return frame


def _batches(cells: pd.DataFrame, size: int) -> pd.DataFrame:
    """A batch number for each (birth_year, export_key, nodes) cell of new nodes,
    at most `size` nodes a batch where the cells allow. Batches are cut between
    birth years across the province, so that the blocks on birth date and year,
    where nearly all duplicates meet (movers in two districts, double NIKs),
    fall inside one batch and a later batch draws few candidates from earlier
    ones; a birth year larger than a batch is cut between districts."""
    rows, batch, filled = [], 0, 0
    for year, cohort in cells.sort_values(["birth_year", "export_key"]).groupby("birth_year", sort=False):
        if filled and filled + cohort["nodes"].sum() > size:
            batch, filled = batch + 1, 0
        for key, nodes in zip(cohort["export_key"], cohort["nodes"]):
            if filled and filled + nodes > size:
                batch, filled = batch + 1, 0
            rows.append((key, year, batch))
            filled += nodes
    return pd.DataFrame(rows, columns=["export_key", "birth_year", "batch"])


def resolve_night(cur, night: dt.date) -> int:
    """Give every node of the records staged for `night` a person_id (new ids are
    minted in staging and only become real when the night is published). Returns
    the records staged."""
    clear_night(cur, STAGED_TABLES, night)  # what an earlier attempt at the night staged
    run_statements(cur, "pipelines.identity", "night_nodes", {"night": night})
    cells = read_frame(cur, "SELECT export_key, birth_year, count(*) AS nodes FROM night_node"
                            " WHERE is_new GROUP BY 1, 2")
    cells = cells.astype({"birth_year": int, "nodes": int})
    batches = _batches(cells, batch_size())
    cur.execute("CREATE TEMP TABLE night_batch (export_key text, birth_year int, batch int) ON COMMIT DROP")
    copy_frame(cur, "pg_temp.night_batch", batches, ["export_key", "birth_year", "batch"])
    # Unanalyzed, it was planned as a handful of rows, and the new records were
    # fetched by one index probe each (18 s a batch at 1 M).
    cur.execute("ANALYZE night_batch")
    # The new nodes written once, batch after batch, so that each batch reads only
    # its own. Read from the night's records, every batch scanned and hashed all of
    # them again (11 s a batch, 15 batches, on a first night at 12.9 M).
    # A node's address is that of its record in the first export listing it.
    columns = ", ".join(f"r.{c}" for c in IDENTITY_COLUMNS + ADDRESS_COLUMNS)
    cur.execute(f"""CREATE TEMP TABLE night_new ON COMMIT DROP AS
                    SELECT DISTINCT ON (b.batch, r.node_id COLLATE "C") b.batch, r.node_id AS unique_id,
                           n.export_key, {columns}
                    FROM night_record r JOIN night_node n USING (node_id)
                    JOIN night_batch b ON b.export_key = n.export_key AND b.birth_year = n.birth_year
                    WHERE n.is_new ORDER BY b.batch, r.node_id COLLATE "C", r.district_code, r.source_row;
                    CREATE INDEX ON night_new (batch);
                    ANALYZE night_new;
                    -- For the candidates' export lookups (sql/candidates.sql).
                    CREATE INDEX ON night_node (node_id)""")
    count = int(batches["batch"].max()) + 1 if len(batches) else 0
    pending, apart, mint = _pending_persons(cur), [], _Minter(cur)
    for batch in range(count):
        raw = read_frame(cur, f"""SELECT unique_id, export_key, {', '.join(IDENTITY_COLUMNS + ADDRESS_COLUMNS)}
                                  FROM night_new
                                  WHERE batch = %s ORDER BY unique_id COLLATE "C" """, (batch,))
        log.info("Identity %s: batch %d of %d, %d new nodes", night, batch + 1, count, len(raw))
        _match(cur, night, node_features(raw), pending, mint, apart)
        pending = set()  # the first batch re-clustered them whole
        # The next batch's candidates join it, and so does publish: planned on
        # the previous night's statistics, publish's touched persons ran for
        # 5 minutes at 12.9 M (a nested loop over 160 k staged nodes).
        analyze(cur, ["staging.identity_node"])
    if not count and pending:
        _match(cur, night, None, pending, mint, apart)
    # Records name their person through their node (warehouse.resident_record):
    # nothing per record is written here.
    cur.execute("SELECT count(*) FROM night_record")
    resolved = cur.fetchone()[0]
    log.info("Identity %s: %d records resolved, %d new nodes", night, resolved, cells["nodes"].sum())
    return resolved


@dataclass(frozen=True)
class _Outcome:
    """What one batch decided, for _stage to write."""
    new: pd.DataFrame | None  # the batch's new nodes (None: only persons re-clustered)
    old: dict[str, str]  # known node -> its person before the batch
    staged: set[str]  # those of `old` an earlier batch of the night staged
    ids: dict[str, str]  # every node -> its person after the batch
    redirects: list[tuple[str, str, str]]  # (old person, new person, reason)
    result: clustering.Clustering


def candidates(cur, night: dt.date, new: pd.DataFrame | None) -> pd.DataFrame:
    """The known nodes that could pair with the `new` nodes' keys (sql/candidates.sql),
    inside the caller's transaction; temp table night_node must hold the night's nodes."""
    cur.execute(_sql("new_key"))
    cur.execute("TRUNCATE new_key")
    if new is not None:
        copy_frame(cur, "pg_temp.new_key", new, KEY_COLUMNS)
    cur.execute("ANALYZE new_key")
    known = read_frame(cur, _sql("candidates"), {"night": night})
    return _typed(known) if len(known) else known


def _match(cur, night: dt.date, new: pd.DataFrame | None, pending: set[str], mint: _Minter,
           apart: list[tuple[str, str]]) -> None:
    """Match a batch of tonight's new nodes against each other and their candidate
    known nodes (earlier batches' included), re-cluster persons with fresh reviewer
    decisions, stage the outcome. `apart` carries the pairs earlier batches kept
    apart (NIK collisions, twins): those are never scored again."""
    known = candidates(cur, night, new)
    staged = set(known.loc[known["staged"] == "t", "unique_id"])
    trained = scoring.load_model()
    if new is None:
        pairs = pd.DataFrame()
    elif known.empty:
        pairs = scoring.score_within(new, trained, clustering.REVIEW_WEIGHT)
    else:
        pairs = scoring.score_new(new, known.drop(columns=["person_id", "staged"]), trained, clustering.REVIEW_WEIGHT)
    pairs = clustering.relevant(clustering.classify(pairs)) if len(pairs) else pd.DataFrame(
        columns=["unique_id_l", "unique_id_r", "match_weight", "rule", "nik_l"])
    old = dict(zip(known["unique_id"], known["person_id"])) if len(known) else {}
    recluster = [n for n, p in old.items() if p in pending]
    pairs = pd.concat([pairs, _stored_links(cur, recluster)], ignore_index=True) if recluster else pairs
    persons = pd.Series(old).loc[lambda s: ~s.isin(pending)] if old else pd.Series(dtype=object)
    prior = persons.groupby(persons).groups.values() if len(persons) else []
    nodes = list(old) + (new["unique_id"].tolist() if new is not None else [])
    members = set(nodes)
    kept = [(a, b, "different") for a, b in apart if a in members and b in members]
    result = clustering.cluster(nodes, pairs, _decisions(cur, members) + kept, prior)
    tiers = pairs[pairs["rule"].isin(["collision", "twin_guard"])]
    apart += zip(tiers["unique_id_l"], tiers["unique_id_r"])
    ids, redirects = clustering.assign_ids(result.person_of, old, mint)
    _stage(cur, night, _Outcome(new, old, staged, ids, redirects, result))


def _published(cur, persons: list[str]) -> set[str]:
    """Those of `persons` the warehouse knows (an id minted tonight is not published yet)."""
    cur.execute("SELECT DISTINCT person_id FROM warehouse.identity_node WHERE person_id = ANY(%s)", (persons,))
    return {row[0] for row in cur.fetchall()}


def _restage(cur, night, redirects, moved: dict[str, str]) -> None:
    """Rewrite what earlier batches of the night staged (see sql/restage/)."""
    cur.execute("CREATE TEMP TABLE IF NOT EXISTS batch_redirect (old_id text, new_id text) ON COMMIT DROP")
    cur.execute("TRUNCATE batch_redirect")
    copy_frame(cur, "pg_temp.batch_redirect", pd.DataFrame(redirects, columns=["old_id", "new_id", "reason"]),
               ["old_id", "new_id"])
    run_statements(cur, "pipelines.identity", "restage",
                   {"night": night, "nodes": list(moved), "persons": list(moved.values())})


def _stage(cur, night: dt.date, outcome: _Outcome) -> None:
    new, ids, staged, redirects, result = outcome.new, outcome.ids, outcome.staged, outcome.redirects, outcome.result
    moved = {n: ids[n] for n, p in outcome.old.items() if ids[n] != p}
    restaged = {n: p for n, p in moved.items() if n in staged}
    if redirects or restaged:
        _restage(cur, night, redirects, restaged)
    if new is not None:
        nodes = new.rename(columns={"unique_id": "node_id"})
        nodes["person_id"] = nodes["node_id"].map(ids)
        copy_frame(cur, "staging.identity_node", nodes.assign(first_night=night, export_date=night),
                   NODE_COLUMNS + ["first_night", "export_date"])
    # A published node an earlier batch moved already is moved again.
    regrouped = pd.DataFrame([(night, n, p) for n, p in moved.items() if n not in staged],
                             columns=["export_date", "node_id", "person_id"])
    cur.execute("DELETE FROM staging.node_person WHERE export_date = %s AND node_id = ANY(%s)",
                (night, regrouped["node_id"].tolist()))
    copy_frame(cur, "staging.node_person", regrouped, ["export_date", "node_id", "person_id"])
    # An id minted tonight was never published: restaging rewrote its rows, no redirect.
    published = _published(cur, [o for o, _, _ in redirects]) if redirects else set()
    copy_frame(cur, "staging.person_redirect",
               pd.DataFrame([(o, n, night, r) for o, n, r in redirects if o in published],
                            columns=["old_id", "new_id", "night", "reason"]),
               ["old_id", "new_id", "night", "reason"])
    links = _sorted_pair(result.links).drop_duplicates(["unique_id_l", "unique_id_r"]) if len(result.links) else None
    if links is not None:
        copy_frame(cur, "staging.identity_link",
                   links.rename(columns={"unique_id_l": "node_l", "unique_id_r": "node_r"}).assign(night=night),
                   ["node_l", "node_r", "match_weight", "rule", "night"])
    if len(result.review):
        review = _sorted_pair(result.review).drop_duplicates(["unique_id_l", "unique_id_r"])
        review = review.assign(node_l=review["unique_id_l"], node_r=review["unique_id_r"],
                               person_l=review["unique_id_l"].map(ids), person_r=review["unique_id_r"].map(ids),
                               weights=[json.dumps(w) for w in scoring.comparison_weights(review)], night=night)
        copy_frame(cur, "staging.identity_review", review,
                   ["node_l", "node_r", "person_l", "person_r", "match_weight", "weights", "night"])
    copy_frame(cur, "staging.nik_collision",
               pd.DataFrame({"nik": sorted(result.collisions), "first_night": night}), ["nik", "first_night"])
    log.info("Identity %s: %d redirects, %d review pairs, %d NIK collisions", night, len(redirects),
             len(result.review), len(result.collisions))


def publish_identity(cur, night: dt.date) -> None:
    """Make the night's identity decisions real (inside the publish transaction)."""
    run_statements(cur, "pipelines.identity", "publish_identity", {"night": night})
