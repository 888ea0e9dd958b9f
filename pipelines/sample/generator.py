"""generate(): the nightly district exports of a synthetic Banten population.

Night k is produced by regenerating every kecamatan from its seed and replaying
nights 0..k on it, writing rows as they are made. Memory stays flat (one family
at a time plus date caches); time grows with persons x nights.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from pipelines.sample.arrears import ArrearsSampler
from pipelines.sample.evolution import evolve
from pipelines.sample.layout import Kecamatan, plan
from pipelines.sample.population import Chunk
from pipelines.sample.writer import NightWriter


@dataclass
class SampleSummary:
    out_dir: Path
    persons: int  # people generated for the first night (births come on top)
    nights: list[dt.date]
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # night -> district -> rows
    files: list[Path] = field(default_factory=list)  # every file written
    truth_dir: Path | None = None
    arrears_register: Path | None = None


def generate(out_dir: Path, nights: list[dt.date], persons: int = 100_000, seed: int = 1,
             progress: Callable[[str], None] | None = None) -> SampleSummary:
    """Write the sample under out_dir: <night>/<KODE_KAB>.csv + .manifest.json for
    each night, truth/ (records, residence, persons, arrears) and arrears_register.csv.
    Same (persons, seed, nights) -> byte-identical files."""
    if not nights:
        raise ValueError("at least one night is needed")
    if persons < 1:
        raise ValueError("persons must be positive")
    out_dir = Path(out_dir)
    nights = sorted(set(nights))
    say = progress or (lambda _msg: None)
    layout = plan(persons, seed)
    summary = SampleSummary(out_dir, persons, nights, truth_dir=out_dir / "truth")
    for k, night in enumerate(nights):
        last = k == len(nights) - 1
        writer = NightWriter(out_dir, night, k, with_persons=last)
        arrears = ArrearsSampler(seed, persons, night) if last else None
        district = None
        for kec, n in layout:
            if kec.district != district:
                district = kec.district
                say(f"{night}: generating {district}")
            _kecamatan(writer, arrears, seed, kec, n, nights[: k + 1])
        rows = summary.rows[night.isoformat()] = writer.close()
        summary.files += writer.paths
        say(f"{night}: {sum(rows.values()):,} rows written")
        if arrears is not None:
            summary.arrears_register = arrears.write(out_dir)
            summary.files += [summary.arrears_register, out_dir / "truth" / "arrears.csv"]
            say(f"arrears register: {summary.arrears_register}")
    return summary


def _kecamatan(writer: NightWriter, arrears: ArrearsSampler | None, seed: int, kec: Kecamatan, n: int,
               nights: list[dt.date]) -> None:
    """Regenerate one kecamatan, replay nights[0..k] on it and write night k."""
    chunk = Chunk(seed, kec, n, nights[0])
    night_rngs = [Random(f"{seed}:{kec.code}:night:{d.isoformat()}") for d in nights]
    typo_rng = Random(f"{seed}:{kec.code}:typo:{nights[-1].isoformat()}")
    if arrears is not None:
        arrears.start_kecamatan(kec.code)
    for hh in chunk.households():
        current = hh
        for j, (night, rng) in enumerate(zip(nights, night_rngs)):
            current = evolve(current, j, night, rng, chunk)
        writer.household(current, typo_rng)
        for p in current.members:
            if p.dup is not None:
                writer.second_registration(p.dup)
            if arrears is not None:
                arrears.consider(current, p)
