"""From records to the comparable features of identity nodes.

A node is one distinct set of identifying attributes (NIK, family card, name,
sex, birth place and date, parents); the same record exported again on later
nights is the same node, so an ordinary night only matches what is new.
Names are normalised once per distinct value, not once per row: a province
has far fewer distinct names than residents.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.identity import names, nik

# What makes a node: a change in any of these is a new node to match.
IDENTITY_COLUMNS = ("nik", "no_kk", "nama_lgkp", "jenis_klmin", "tmpt_lhr", "tgl_lhr",
                    "nama_lgkp_ibu", "nama_lgkp_ayah")
# Where the person lives: compared and blocked on, but not part of the node (a
# move is not a new identity; node ids stay what they were). A node carries the
# address of the record it was first matched from.
ADDRESS_COLUMNS = ("alamat", "no_prop", "no_kab", "no_kec", "no_kel")


def _mapped(values: pd.Series, fn) -> pd.Series:
    """fn applied once per distinct value (names repeat across a population),
    spread back by position rather than by a dict lookup per row."""
    codes, distinct = pd.factorize(values)
    results = np.array([fn(v) for v in distinct] + [None], dtype=object)
    return pd.Series(results[codes], index=values.index, dtype=object)  # code -1 (missing) takes the None


def _blank_to_none(series: pd.Series) -> pd.Series:
    return series.where(series.notna() & (series != ""), None)


def _text(records: pd.DataFrame, column: str) -> pd.Series:
    """A column as text, all None where the records do not have it (Bapenda's
    register, a test's few identity columns)."""
    if column not in records:
        return pd.Series(None, index=records.index, dtype=object)
    return records[column].astype("string").str.strip()


def _desa(records: pd.DataFrame) -> pd.Series:
    """The desa's full code (province, kabupaten, kecamatan, desa), None without a desa."""
    parts = [_text(records, c).fillna("") for c in ADDRESS_COLUMNS[1:]]
    code = (parts[0] + parts[1] + parts[2] + parts[3]).astype(object)
    return code.where(parts[3] != "", None)


def node_features(records: pd.DataFrame) -> pd.DataFrame:
    """Feature frame for records with a `unique_id` column, the identity columns
    (lowercase contract names; tgl_lhr a date or ISO text) and `export_key`:
    the export (night and district) listing the record, None when not tonight;
    the ADDRESS_COLUMNS where the records have them."""
    out = pd.DataFrame({"unique_id": records["unique_id"].astype(str).to_numpy(),
                        "export_key": records["export_key"].to_numpy()})
    out["nik"] = _blank_to_none(records["nik"].astype("string")).to_numpy()
    out["no_kk"] = _blank_to_none(records["no_kk"].astype("string")).to_numpy()
    key = _mapped(records["nama_lgkp"], names.name_key)
    out["name_key"] = _blank_to_none(key).to_numpy()
    out["name_skel"] = _blank_to_none(_mapped(key, names.skeleton)).to_numpy()
    out["first_skel"] = _blank_to_none(_mapped(_mapped(key, names.first_token), names.skeleton)).to_numpy()
    out["initials"] = _blank_to_none(_mapped(key, names.initials)).to_numpy()
    out["sex"] = _blank_to_none(records["jenis_klmin"].astype("string")).to_numpy()
    dob = pd.to_datetime(records["tgl_lhr"], errors="coerce")
    out["dob"] = dob.dt.date.to_numpy()
    out["birth_year"] = dob.dt.year.astype("Int64").to_numpy()
    out["place_key"] = _blank_to_none(_mapped(records["tmpt_lhr"], names.place_key)).to_numpy()
    mother = _blank_to_none(_mapped(records["nama_lgkp_ibu"], names.name_key))
    out["mother_key"] = mother.to_numpy()
    out["mother_skel"] = _blank_to_none(_mapped(mother, names.skeleton)).to_numpy()
    out["father_key"] = _blank_to_none(_mapped(records["nama_lgkp_ayah"], names.name_key)).to_numpy()
    out["address_key"] = _blank_to_none(_mapped(_text(records, "alamat"), names.address_key)).to_numpy()
    out["desa"] = _desa(records).to_numpy()
    parts = nik.parts(records["nik"])
    for field in nik.FIELDS:
        out[f"nik_{field}"] = parts[field].to_numpy()
    return out


def read_night(export_dir: Path, night: dt.date) -> pd.DataFrame:
    """A night's district exports (`<dir>/<night>/<kab>.csv`) as records: one row each."""
    frames = []
    for path in sorted((Path(export_dir) / night.isoformat()).glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False).rename(columns=str.lower)
        frame["district_code"], frame["source_row"] = path.stem, range(1, len(frame) + 1)
        frames.append(frame)
    records = pd.concat(frames, ignore_index=True)
    # The contract allows both date spellings; the night's staging has parsed them already.
    iso = pd.to_datetime(records["tgl_lhr"], format="%Y-%m-%d", errors="coerce")
    records["tgl_lhr"] = iso.fillna(pd.to_datetime(records["tgl_lhr"], format="%d-%m-%Y", errors="coerce")).dt.date
    records["unique_id"] = records["district_code"] + ":" + records["source_row"].astype(str)
    records["export_key"] = records["district_code"]
    return records
