"""Small hand-made district files for tests: one valid row and ways to damage it."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from pathlib import Path

from pipelines.contract import COLUMNS


def valid_row(serial: int = 1, **overrides: str) -> dict[str, str]:
    """A correct record of Kab. Pandeglang (3601), desa Sumberjaya, kecamatan Sumur."""
    row = {
        "NIK": f"360101150580{serial:04d}", "NO_KK": f"360101200110{serial:04d}",
        "NAMA_LGKP": f"SUKARDI {serial}", "JENIS_KLMIN": "1", "TMPT_LHR": "PANDEGLANG",
        "TGL_LHR": "1980-05-15", "GOL_DRH": "13", "AGAMA": "1", "STAT_KWN": "2", "STAT_HBKEL": "1",
        "PDDK_AKH": "5", "JENIS_PKRJN": "10", "NAMA_LGKP_IBU": "SITI AMINAH", "NAMA_LGKP_AYAH": "H. MAHMUD",
        "ALAMAT": "KP. SUMBERJAYA", "NO_RT": "001", "NO_RW": "002", "NO_PROP": "36", "NO_KAB": "01",
        "NO_KEC": "01", "NO_KEL": "2001", "STAT_HIDUP": "1", "EKTP_CURRENT_STATUS_CODE": "8",
        "EKTP_CREATED_DATE": "2012-03-01", "TGL_ENTRI": "2010-01-20", "TGL_UBAH": "2012-03-01",
    }
    row.update(overrides)
    return row


def csv_text(rows: list[dict[str, str]], delimiter: str = ",", columns=COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue()


def write_export(folder: Path, district: str, content: bytes | str, *, gz: bool = False,
                 manifest: dict | None = None, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = content.encode(encoding) if isinstance(content, str) else content
    path = folder / (f"{district}.csv.gz" if gz else f"{district}.csv")
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    if manifest is not None:
        (folder / f"{district}.manifest.json").write_text(json.dumps(manifest))
    return path


def manifest_for(path: Path, district: str, night: str, row_count: int) -> dict:
    return {"district_code": district, "export_date": night, "row_count": row_count,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
