"""Indonesian names, birth places and addresses as SIAK stores them (upper case).

The lists are curated for Banten: Sundanese and Bantenese given names, the
Arabic names common in pesantren families, Javanese names of migrants, and the
modern names of children born after 2000. Christian and Chinese-Indonesian
names reuse the family-name lists of lokal-id's samaran module.
"""

from __future__ import annotations

from random import Random

from lokal.samaran._names import CHINESE_FAMILY_NAMES, FAMILY_NAMES

MALE_OLD = """AHMAD ABDUL ASEP ADE AEP AGUS ALI AMAN ANDI ARIF BAMBANG BUDI CECEP DADANG
DEDE DEDI DENI DIDIN EDI ENCEP ENDANG ENTIS HAMDANI HASAN HENDRA HERI IWAN JAJANG
JAENUDIN JUNAEDI KARNADI KOMAR LUKMAN MAMAN MULYADI NANANG NURDIN OMAN RAHMAT
RIDWAN RUDI SAEPUL SAMSUDIN SUKARDI SUHERMAN TATANG TOTO UJANG UDIN WAWAN YAYAN
YUDI ZAENAL AHYAR ARSAD BAHRUDIN DULAH EMAN HAERUDIN JAMHARI KHAERUL MAHMUD
MASDUKI MUHIDIN NAWAWI RUSDI SAPRUDIN SARIP SUHENDI SYAFEI SLAMET SUPARMAN SUTRISNO
MISNAN JUHRI ARMAN SANUSI ROHIMAN KASMIRI MARJUKI SAMAD MUKHTAR""".split()
MALE_NEW = """RIZKY FAJAR ALDI DIMAS RAFFI ARKAN AZKA FARHAN RAFA ZIDAN ABIMANYU DAFFA
KEVIN FIKRI AKBAR ILHAM REZA GILANG BAYU RAIHAN ALFARIZI NAUFAL HAIKAL FADLAN
ARDIANSYAH IQBAL YUSUF HAFIZ SATRIA BAGAS AHMAD ABDUL""".split()
FEMALE_OLD = """SITI NUR ENTIN EUIS IIS ENENG NENG ENAH ENOK ELAH IMAS ROHAYATI YAYAH YATI
ROSITA SUMIATI SUNARSIH RATNA LILIS NENENG TITIN AAH OOM ICIH KOKOM UUM NANI
NURHAYATI MULYANI ROHANAH HALIMAH AMINAH MASITOH MAESAROH KHODIJAH FATIMAH
JUBAEDAH ROSIDAH MARYAM SUKAESIH AISYAH SARAH WASIAH JAMILAH SUPINAH KARSIH
MUNAWAROH SAMIAH ENDAH""".split()
FEMALE_NEW = """NAYLA AZZAHRA ZAHRA SALSABILA NABILA AULIA PUTRI AYU DEWI INDAH RISKA FITRI
ANISA CITRA KEISHA ALIFAH NADIA SYIFA AQILA KHANZA NAURA QIRANI SITI NUR""".split()
MALE_SECOND = """HIDAYAT SOLIHIN SAEPUDIN SUPRIATNA KURNIAWAN SETIAWAN RAHMAN HAKIM FAUZI
MAULANA SAPUTRA PRATAMA RAMADHAN FIRMANSYAH HERMAWAN SUTISNA SUMARNA GUNAWAN
NUGRAHA ABDULLAH SYAHRONI SOPIAN ROHMAN JAELANI MUHTADI SUHENDAR ZAKARIA""".split()
FEMALE_SECOND = """NURHASANAH ROHAENI MAESAROH KHOIRIYAH HASANAH SARI LESTARI RAHAYU WULANDARI
SAPUTRI PRATIWI KURNIASIH NURJANAH MARYATI SUMIATI HANDAYANI FITRIANI YULIANTI
AMELIA RAMADHANI""".split()
# Arabic names with an 'ain, written with an apostrophe (a few percent of names).
MALE_APOSTROPHE = "MA'RUF NU'MAN MA'MUN MAS'UD SYAFI'I RO'UF MU'MIN SA'DI".split()
FEMALE_APOSTROPHE = "SA'ADAH NI'MAH RABI'AH KHUZA'IMAH MU'AWANAH".split()
CHRISTIAN_MALE = "YOHANES PETRUS PAULUS STEFANUS ANTONIUS DANIEL SAMUEL MARKUS YOSEF ANDREAS".split()
CHRISTIAN_FEMALE = "MARIA THERESIA MAGDALENA AGNES VERONIKA YOHANA ELISABETH KRISTINA NATALIA".split()
CHINESE_GIVEN = "TJIN LIANG SOEI HONG KIM BENG SIOE LAN GOAN HOK MEI LING ENG".split()
FAMILY = sorted(n.upper() for n in FAMILY_NAMES if len(n) > 3)
CHINESE_FAMILY = sorted(n.upper() for n in CHINESE_FAMILY_NAMES)

# SIAK keeps whatever spelling the registrar typed; these occur side by side.
MUHAMMAD = ("MUHAMMAD",) * 8 + ("MUHAMAD",) * 4 + ("MOHAMMAD",) * 2 + (
    "MOCHAMMAD", "MOCH", "MOCH", "MOH", "M.", "M.", "M.")
DEGREES = {  # PDDK_AKH -> academic titles written after the name
    "7": ("AMD.", "A.MD"),
    "8": ("S.PD", "S.E", "S.H", "S.KOM", "S.AG", "S.SOS", "S.IP", "S.T", "S.KEP", "S.PD.I"),
    "9": ("M.PD", "M.SI", "M.M", "M.AG"),
}
PREFIXES = ("H. ", "HJ. ", "DR. ", "DRS. ", "DRA. ", "IR. ", "TB. ", "RATU ")


def pick(rng: Random, seq):
    return seq[int(rng.random() * len(seq))]


def given_name(rng: Random, sex: str, birth_year: int, agama: str) -> str:
    """A personal name without titles, one to three parts."""
    male = sex == "1"
    if agama in ("2", "3"):
        first = pick(rng, CHRISTIAN_MALE if male else CHRISTIAN_FEMALE)
        return f"{first} {pick(rng, FAMILY)}"
    if agama in ("5", "6"):
        return f"{pick(rng, CHINESE_FAMILY)} {pick(rng, CHINESE_GIVEN)} {pick(rng, CHINESE_GIVEN)}"
    young = birth_year >= 1995 and rng.random() < 0.7
    pool = (MALE_NEW if young else MALE_OLD) if male else (FEMALE_NEW if young else FEMALE_OLD)
    seconds = MALE_SECOND if male else FEMALE_SECOND
    if rng.random() < 0.04:
        seconds = MALE_APOSTROPHE if male else FEMALE_APOSTROPHE
    # Single names are the rule for older Sundanese and Bantenese villagers.
    single = 0.45 if birth_year < 1970 else 0.30 if birth_year < 1990 else 0.10
    u = rng.random()
    if male and rng.random() < 0.15:
        parts = [pick(rng, MUHAMMAD), pick(rng, pool if u < 0.5 else seconds)]
    elif u < single:
        parts = [pick(rng, pool)]
    elif u < 0.82:
        parts = [pick(rng, pool), pick(rng, seconds)]
    else:
        parts = [pick(rng, pool), pick(rng, pool), pick(rng, seconds)]
    if len(parts) > 1 and parts[0] == parts[1]:
        parts.pop(1)
    return " ".join(parts)


def titled(rng: Random, name: str, sex: str, age: int, pddk: str, agama: str) -> str:
    """The name with the titles a registrar would have typed in (≤ 60 chars)."""
    prefix = suffix = ""
    if pddk == "10":
        prefix = "DR. "
    elif agama == "1" and age >= 40 and rng.random() < 0.07:
        prefix = "H. " if sex == "1" else "HJ. "
    elif pddk == "8" and age >= 55 and rng.random() < 0.3:
        prefix = "DRS. " if sex == "1" else "DRA. "
    elif agama == "1" and rng.random() < 0.01:
        prefix = "TB. " if sex == "1" else "RATU "  # Bantenese nobility
    degrees = DEGREES.get(pddk)
    if degrees and not prefix.startswith("DR") and rng.random() < 0.5:
        suffix = (", " if rng.random() < 0.5 else " ") + pick(rng, degrees)
    return (prefix + name + suffix)[:60]


def plain(name: str) -> str:
    """The name without titles, as it is written in a child's parent columns."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
    for degree in (",", " S.", " M.", " AMD.", " A.MD"):
        name = name.split(degree)[0]
    return name.strip()


_SWAPS = (("MUHAMMAD", "MUHAMAD"), ("MUHAMAD", "MOHAMAD"), ("MOCH", "MOCHAMAD"), ("M. ", "MUHAMMAD "),
          ("OE", "U"), ("U", "OE"), ("DJ", "J"), ("TJ", "C"), ("CH", "KH"), ("KH", "H"), ("SY", "S"),
          ("AE", "AI"), ("AI", "AE"), ("EP", "EF"), ("Z", "J"), ("Y", "I"), ("MM", "M"),
          ("'", ""), ("AH ", "A "), ("NUR ", "NUR"), ("ABDUL ", "ABDUL"), ("ABDUL ", "ABD. "))


def variant(rng: Random, name: str) -> str:
    """Another spelling of the same person's name (never identical)."""
    for _ in range(8):
        u = rng.random()
        if u < 0.15 and name.startswith(("H. ", "HJ. ")):
            candidate = name.split(". ", 1)[1]
        elif u < 0.25 and " " in name and len(name.split()) >= 3:
            parts = name.split()
            parts[1] = parts[1][0] + "."  # middle name abbreviated
            candidate = " ".join(parts)
        elif u < 0.3:
            candidate = plain(name) if plain(name) != name else name + " " + pick(rng, DEGREES["8"])
        else:
            old, new = pick(rng, _SWAPS)
            candidate = name.replace(old, new, 1)
        if candidate != name and candidate.strip():
            return candidate[:60]
    return name + " " + ("BIN " if rng.random() < 0.5 else "") + pick(rng, MALE_OLD)[:10]


# Birth places: the registrar writes the town as the parent said it.
BIRTHPLACES = {
    "3601": ("PANDEGLANG", "PANDEGLANG", "KAB. PANDEGLANG", "PDG", "LABUAN", "MENES"),
    "3602": ("LEBAK", "RANGKASBITUNG", "RANGKAS", "KAB. LEBAK", "MALINGPING"),
    "3603": ("TANGERANG", "TANGERANG", "KAB. TANGERANG", "TNG", "TIGARAKSA", "BALARAJA"),
    "3604": ("SERANG", "SERANG", "KAB. SERANG", "SRG", "CIRUAS", "ANYER"),
    "3671": ("TANGERANG", "TANGERANG", "KOTA TANGERANG", "TNG", "TANGGERANG"),
    "3672": ("CILEGON", "CILEGON", "KOTA CILEGON", "CLG", "MERAK"),
    "3673": ("SERANG", "SERANG", "KOTA SERANG", "SRG", "BANTEN"),
    "3674": ("TANGERANG", "JAKARTA", "TANGERANG SELATAN", "TANGSEL", "PAMULANG", "CIPUTAT"),
}
# Origins of people whose NIK was first issued outside Banten: kab code -> how
# they name the place. The kecamatan is drawn from lokal-id's list.
OUTSIDE = {
    "3171": ("JAKARTA", "JAKARTA PUSAT"), "3173": ("JAKARTA", "JAKARTA BARAT", "JAKBAR"),
    "3174": ("JAKARTA", "JAKARTA SELATAN"), "3175": ("JAKARTA TIMUR", "JAKARTA"),
    "3201": ("BOGOR", "KAB. BOGOR"), "3275": ("BEKASI",), "3273": ("BANDUNG",),
    "3204": ("BANDUNG", "KAB. BANDUNG"), "3209": ("CIREBON",), "3202": ("SUKABUMI",),
    "1871": ("BANDAR LAMPUNG", "TANJUNG KARANG"), "3302": ("BANYUMAS", "PURWOKERTO"),
    "3578": ("SURABAYA",), "1275": ("MEDAN",),
}


def birthplace(rng: Random, region_kab: str) -> str:
    """TMPT_LHR for someone whose NIK was issued in region_kab (4 digits)."""
    places = BIRTHPLACES.get(region_kab) or OUTSIDE.get(region_kab) or ("JAKARTA",)
    return pick(rng, places)


KAMPUNG = ("CIBEUREUM|SUKAMAJU|SUKARAME|PASIR GEDE|BABAKAN|CIKONENG|LEUWILIANG|CILAME|KADUHEJO|"
           "CIPARAY|SINDANGSARI|TANJAKAN|BOJONG|KALAPA DUA|KRAMAT|CITEREUP|PASIR ANGIN|CIMANGGU|"
           "SAWAH LUHUR|KEBON JERUK|KAMPUNG BARU|PEKAPURAN|DUKUH").split("|")
STREETS = "RAYA SERANG|MERDEKA|SUDIRMAN|RAYA CILEGON|KH. HASYIM ASYARI|RAYA PANDEGLANG|MAULANA HASANUDIN|SULTAN AGENG TIRTAYASA|VETERAN|DIPONEGORO".split("|")
ESTATES = "TAMAN ASRI|GRIYA PERMATA|BUMI INDAH|CITRA RAYA|VILLA MUTIARA|PONDOK HIJAU|BSD|ALAM SUTERA".split("|")


def address(rng: Random, desa_name: str, urban: bool) -> str:
    """ALAMAT: kampung in villages, streets and housing estates in the cities."""
    u = rng.random()
    if not urban and u < 0.85:
        kampung = desa_name.upper() if rng.random() < 0.3 else pick(rng, KAMPUNG)
        return f"KP. {kampung}" if rng.random() < 0.8 else f"KAMPUNG {kampung}"
    if u < 0.6:
        street = pick(rng, STREETS)
        number = 1 + int(rng.random() * 250)
        if rng.random() < 0.2:  # a comma forces RFC 4180 quoting in the export
            return f"JL. {street} NO. {number}, GG. {pick(rng, MALE_OLD)}"
        return f"JL. {street} NO. {number}"
    block = "ABCDEFGH"[int(rng.random() * 8)] + str(1 + int(rng.random() * 20))
    return f"PERUM {pick(rng, ESTATES)} BLOK {block} NO. {1 + int(rng.random() * 40)}"


def rt_rw(rng: Random) -> tuple[str, str]:
    """NO_RT, NO_RW: three digits with leading zeros."""
    return f"{1 + int(rng.random() * 12):03d}", f"{1 + int(rng.random() * 8):03d}"
