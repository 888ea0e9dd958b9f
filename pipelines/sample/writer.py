"""Writes one night: the eight district exports, their manifests and the truth.

All eight district files stay open for the whole night because a family that
moves, or a person registered twice, is written into another district's file
while its home kecamatan is being generated.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path
from random import Random

from pipelines.contract import COLUMNS, DISTRICTS
from pipelines.sample.evolution import P_TYPO, typo
from pipelines.sample.population import Household, Person

# Kab. Lebak and Kota Cilegon export dates day first; the rest ISO.
DAY_FIRST_DISTRICTS = frozenset({"3602", "3672"})
RECORD_TRUTH = ("export_date", "district_code", "source_row", "true_person_id", "anomaly")
RESIDENCE_TRUTH = ("true_person_id", "district_code", "kecamatan_code", "desa_code", "alive", "ektp_status",
                   "wajib_ktp")
PERSON_TRUTH = ("true_person_id", "nik", "name", "sex", "birth_date", "alive", "ektp_recorded",
                "district_code", "kecamatan_code", "desa_code")


class _Dates:
    """Ordinal -> text, memoised: the same few thousand dates recur millions of times."""

    def __init__(self, day_first: bool) -> None:
        self.pattern = "{2:02d}-{1:02d}-{0:04d}" if day_first else "{0:04d}-{1:02d}-{2:02d}"
        self.cache: dict[int, str] = {}

    def __call__(self, ordinal: int | None) -> str:
        if ordinal is None:
            return ""
        text = self.cache.get(ordinal)
        if text is None:
            d = dt.date.fromordinal(ordinal)
            text = self.cache[ordinal] = self.pattern.format(d.year, d.month, d.day)
        return text


class _District:
    def __init__(self, path: Path, code: str) -> None:
        self.path, self.code = path, code
        self.file = path.open("w", encoding="utf-8", newline="")
        self.csv = csv.writer(self.file)  # QUOTE_MINIMAL + CRLF: RFC 4180
        self.csv.writerow(COLUMNS)
        self.rows = 0
        self.dates = _Dates(code in DAY_FIRST_DISTRICTS)


class NightWriter:
    def __init__(self, out_dir: Path, night: dt.date, night_index: int, with_persons: bool) -> None:
        self.night, self.k, self.iso = night, night_index, night.isoformat()
        folder = out_dir / self.iso
        truth = out_dir / "truth"
        folder.mkdir(parents=True, exist_ok=True)
        truth.mkdir(parents=True, exist_ok=True)
        self.districts = {code: _District(folder / f"{code}.csv", code) for code in DISTRICTS}
        self._truth_files = []
        self.paths: list[Path] = []  # every file this night writes, in order
        self.records = self._truth(truth / f"records_{self.iso}.csv", RECORD_TRUTH)
        self.residence = self._truth(truth / f"residence_{self.iso}.csv", RESIDENCE_TRUTH)
        self.persons = self._truth(truth / "persons.csv", PERSON_TRUTH) if with_persons else None

    def _truth(self, path: Path, header: tuple[str, ...]):
        f = path.open("w", encoding="utf-8", newline="")
        self._truth_files.append(f)
        self.paths.append(path)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        return w

    # --- records ----------------------------------------------------------------
    def _write(self, hh: Household, p: Person, nik: str, name: str, anomaly: str) -> None:
        d = self.districts[hh.kec.district]
        dates = d.dates
        desa = hh.desa[0]
        entri, ubah = (hh.entered, hh.entered) if hh.entered else (p.entri, p.ubah)
        d.csv.writerow((
            nik, hh.kk, name, p.sex, p.tmpt, dates(p.birth.toordinal()), p.gol, p.agama, p.kwn, p.hbkel,
            p.pddk, p.pkrjn, p.ibu, p.ayah, hh.alamat, hh.rt, hh.rw, desa[:2], desa[2:4], desa[4:6], desa[6:],
            "1" if p.alive else "2", p.ektp, dates(p.ektp_date), dates(entri), dates(ubah),
        ))
        d.rows += 1
        self.records.writerow((self.iso, d.code, d.rows, p.pid, anomaly))

    def household(self, hh: Household, typo_rng: Random) -> None:
        """The family's current records (with tonight's NIK typos) and, for a
        family that moved, the stale copy its old district still exports."""
        stale = hh.origin if hh.origin is not None and self.k < hh.moved_night + hh.lag else None
        for i, p in enumerate(hh.members):
            nik, anomaly = p.shown_nik, p.anomaly
            name = hh.name_variants.get(i, p.shown_name)
            if typo_rng.random() < P_TYPO and not anomaly and name == p.name:
                nik, anomaly = typo(nik, typo_rng), "nik_typo"
            elif not anomaly and name != p.name:
                anomaly = "name_variant"
            self._write(hh, p, nik, name, anomaly)
            if stale is not None:
                self._write(stale, p, p.shown_nik, p.shown_name, "mover_lag")
            self._resident(hh, p)

    def second_registration(self, dup: Household) -> None:
        p = dup.members[0]
        self._write(dup, p, p.shown_nik, p.shown_name, "double_nik")

    def _resident(self, hh: Household, p: Person) -> None:
        desa = hh.desa[0]
        wajib = p.age(self.night) >= 17 or p.kwn != "1"
        alive = "1" if p.alive else "0"
        self.residence.writerow((p.pid, hh.kec.district, desa[:6], desa, alive, p.ektp, int(wajib)))
        if self.persons is not None:
            self.persons.writerow((p.pid, p.nik, p.name, p.sex, p.birth.isoformat(), alive,
                                   int(p.ektp >= 3), hh.kec.district, desa[:6], desa))

    # --- closing ----------------------------------------------------------------
    def close(self) -> dict[str, int]:
        """Closes everything, writes the manifests; returns rows per district."""
        for f in self._truth_files:
            f.close()
        rows = {}
        for code, d in self.districts.items():
            d.file.close()
            manifest = {"district_code": code, "export_date": self.iso, "row_count": d.rows,
                        "sha256": sha256(d.path)}
            d.path.with_suffix(".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
            self.paths += [d.path, d.path.with_suffix(".manifest.json")]
            rows[code] = d.rows
        return rows


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()
