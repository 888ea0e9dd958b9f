"""The validation rules: name, severity, column and the reason shown to people.

A rule is what the report and the quarantine table talk about; the Great
Expectations suite (expectations/suites/district_rows.json) holds one
expectation per row rule, tagged with the rule name in its ``meta``. Messages
are fixed sentences in Bahasa Indonesia and never quote the offending value:
a reason is stored next to the raw row and shown in reports, and must not
carry a NIK or a name a second time (UU PDP 27/2022).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipelines.contract import (
    CODE_LISTS,
    DATE_COLUMNS,
    MAX_AGE_YEARS,
    NAME_MAX_LENGTH,
    REQUIRED_COLUMNS,
)

Severity = Literal["quarantine", "warn", "reject_file"]


@dataclass(frozen=True)
class Rule:
    name: str
    severity: Severity
    column: str | None  # the column the reason points at; None for file-level rules
    description_id: str  # the reason as shown to people, in Bahasa Indonesia
    # Rules whose reason this one replaces on the same row: a more specific
    # diagnosis ("notasi ilmiah") makes the generic one ("bukan 16 digit") noise.
    supersedes: tuple[str, ...] = ()


def _rules() -> list[Rule]:
    rules = [
        Rule(f"required_{col.lower()}", "quarantine", col, f"Kolom {col} wajib diisi tetapi kosong")
        for col in REQUIRED_COLUMNS
    ]
    rules += [
        Rule(f"code_{col.lower()}", "quarantine", col,
             f"Nilai {col} tidak ada dalam daftar kode yang berlaku")
        for col in CODE_LISTS
    ]
    rules += [
        Rule("nik_format", "quarantine", "NIK", "NIK harus tepat 16 digit angka"),
        Rule("nik_scientific", "quarantine", "NIK", "NIK rusak oleh spreadsheet (notasi ilmiah)",
             supersedes=("nik_format",)),
        Rule("no_kk_format", "quarantine", "NO_KK", "Nomor KK harus tepat 16 digit angka"),
        Rule("no_kk_scientific", "quarantine", "NO_KK",
             "Nomor KK rusak oleh spreadsheet (notasi ilmiah)", supersedes=("no_kk_format",)),
        Rule("nama_length", "quarantine", "NAMA_LGKP",
             f"Nama lengkap lebih dari {NAME_MAX_LENGTH} karakter"),
        Rule("no_rt_format", "quarantine", "NO_RT", "NO_RT harus 3 digit angka"),
        Rule("no_rw_format", "quarantine", "NO_RW", "NO_RW harus 3 digit angka"),
        Rule("no_prop", "quarantine", "NO_PROP", "NO_PROP bukan 36 (Provinsi Banten)"),
        Rule("other_district", "quarantine", "NO_KAB",
             "NO_PROP+NO_KAB tidak sama dengan kode kabupaten/kota file ini"),
        Rule("kecamatan_unknown", "quarantine", "NO_KEC",
             "NO_KEC tidak terdaftar di kabupaten/kota ini (daftar wilayah Kemendagri)"),
        Rule("desa_unknown", "quarantine", "NO_KEL",
             "NO_KEL tidak terdaftar di kecamatan ini (daftar wilayah Kemendagri)"),
    ]
    rules += [
        Rule(date_rule(col), "quarantine", col,
             f"{col} bukan tanggal yang sah (format YYYY-MM-DD atau DD-MM-YYYY)")
        for col in DATE_COLUMNS
    ]
    rules += [
        Rule("tgl_lhr_future", "quarantine", "TGL_LHR", "Tanggal lahir sesudah tanggal ekspor"),
        Rule("tgl_lhr_too_old", "quarantine", "TGL_LHR", f"Umur lebih dari {MAX_AGE_YEARS} tahun"),
        Rule("nik_region", "quarantine", "NIK",
             "Kode wilayah NIK (6 digit pertama) bukan kecamatan yang dikenal"),
        Rule("nik_serial", "quarantine", "NIK", "Nomor urut NIK (4 digit terakhir) 0000"),
        # Warnings: the row is loaded and counted. NIKs are never reissued, so an
        # NIK that disagrees with the birth date or sex is still the person's NIK.
        Rule("nik_birth_date", "warn", "NIK", "Tanggal lahir dalam NIK berbeda dengan TGL_LHR"),
        Rule("nik_sex", "warn", "NIK",
             "Jenis kelamin dalam NIK (tanggal +40 untuk perempuan) berbeda dengan JENIS_KLMIN"),
        Rule("tgl_ubah_before_entri", "warn", "TGL_UBAH", "TGL_UBAH lebih awal dari TGL_ENTRI"),
        # Warn, not quarantine: the status code is the coverage fact (status >= 3
        # means recorded); dropping the row would remove a resident from both the
        # population and the coverage count of the desa field teams work from.
        Rule("ektp_date_missing", "warn", "EKTP_CREATED_DATE",
             "Status e-KTP sudah rekam tetapi EKTP_CREATED_DATE kosong"),
        Rule("ektp_belum_wajib", "warn", "EKTP_CURRENT_STATUS_CODE",
             "Status e-KTP 'belum wajib' padahal umur 17 tahun ke atas atau pernah kawin"),
        # Cross-row: checked in SQL over the whole staged file (pipelines/validate/family.py).
        Rule("one_head_per_family", "warn", "STAT_HBKEL",
             "Satu nomor KK harus punya tepat satu kepala keluarga"),
        # File-level, decided by file_gate().
        Rule("empty_file", "reject_file", None, "File tidak berisi satu pun baris data"),
        Rule("other_district_share", "reject_file", None,
             "Terlalu banyak baris milik kabupaten/kota lain"),
        Rule("quarantine_share", "reject_file", None, "Terlalu banyak baris dikarantina"),
    ]
    return rules


def date_rule(column: str) -> str:
    """Name of the rule that a date column holds a readable date."""
    return f"{column.lower()}_format"


RULES: dict[str, Rule] = {r.name: r for r in _rules()}
