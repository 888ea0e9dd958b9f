"""File-level decision: the file gate. (The cross-row family rule runs over the
whole staged file: pipelines/validate/family.py.)"""

from __future__ import annotations

def _share(part: int, whole: int) -> str:
    return f"{part:,} dari {whole:,} baris ({100.0 * part / whole:.1f}%)".replace(",", ".")


def file_gate(rows_read: int, rows_quarantined: int, other_district_rows: int,
              max_quarantine_share: float = 0.05) -> str | None:
    """The reason (Bahasa Indonesia) to reject a whole district file, or None to
    load its good rows. A file that is mostly broken or mostly another district's
    is a wrong delivery, and loading its good remainder would replace the
    district's night with a fragment. The share may reach the limit, not pass it."""
    if not 0 <= other_district_rows <= rows_quarantined <= rows_read:
        raise ValueError("expected 0 <= other_district_rows <= rows_quarantined <= rows_read")
    if rows_read == 0:
        return "File tidak berisi satu pun baris data"
    limit = f"batas {100 * max_quarantine_share:g}%"
    if other_district_rows > max_quarantine_share * rows_read:
        return (f"{_share(other_district_rows, rows_read)} milik kabupaten/kota lain "
                f"(NO_PROP+NO_KAB tidak sama dengan kode file), melebihi {limit}; "
                "file kemungkinan salah kirim atau salah nama")
    if rows_quarantined > max_quarantine_share * rows_read:
        return f"{_share(rows_quarantined, rows_read)} dikarantina, melebihi {limit}"
    return None
