"""One head per family card (warn): a cross-row rule over a whole staged file,
so it runs once the file is staged, not per chunk like the suite."""

from __future__ import annotations

from collections import Counter

import numpy as np

from pipelines.contract import HEAD_OF_FAMILY
from pipelines.sql import sql
from pipelines.warehouse.copy import read_frame


def family_params(load_id: int) -> dict:
    """The parameters of sql/family_members.sql for a staged load."""
    return {"load_id": load_id, "head": HEAD_OF_FAMILY}


def family_rule(cur, load_id: int, tonight: np.ndarray) -> Counter[str]:
    """Checked on every family with a row new or changed tonight, with all its
    members in tonight's file (`tonight`: the file's versions)."""
    # Every version the changed families ever had, then tonight's among them,
    # tested in memory. In SQL, tonight's versions had first to be gathered into
    # a table, however few the families: 4-6 s an ordinary night for a 3.5 M-row
    # file (0.3 s -> 0.04 s at 270 k rows).
    members = read_frame(cur, sql("pipelines.warehouse", "family_members"), family_params(load_id))
    members = members[np.isin(members["version_id"].astype("int64").to_numpy(), tonight)]
    heads = (members["head"] == "t").groupby(members["no_kk"]).sum()
    rows = int(members["no_kk"].isin(heads.index[heads != 1]).sum())
    return Counter({"one_head_per_family": rows} if rows else {})
