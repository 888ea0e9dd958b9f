"""The catalogue's own name lists, written for it (not taken from the project's sample).

Modern (EYD) spelling throughout: the variation step writes the old spellings.
"""

from __future__ import annotations

# given names by ethnic group and sex; a full name is one to three of them
GIVEN = {
    "sunda": {
        "1": ["ACENG", "ASEP", "UJANG", "DEDEN", "ENCEP", "CECEP", "DADANG", "YAYAN", "NANANG", "JAJANG",
              "ENTIS", "OMAN", "AGUS", "DEDI", "ENDANG", "ROHMAT", "JUJUN", "UCUP", "DODI", "ADE", "IWAN",
              "YANA", "SUHERMAN", "HENDI", "TATANG", "AANG", "WAWAN", "KOSASIH", "MAMAN", "OJAT"],
        "2": ["IMAS", "ENENG", "EUIS", "NENG", "CUCU", "NUNUNG", "YANTI", "ROSMIATI", "TITIN", "NENENG",
              "ENTIN", "IIS", "ELIS", "NINING", "YAYAH", "ENUNG", "EEN", "IYAH", "CICIH", "NANI", "YULI",
              "TUTI", "EMAH", "JUJU", "KOKOM", "YETI", "ANI", "NURAENI", "LILIS", "CUCUM"],
    },
    "jawa": {
        "1": ["SUTRISNO", "SLAMET", "BAMBANG", "BUDI", "JOKO", "HARYANTO", "WAHYU", "EKO", "DWI", "PURNOMO",
              "SUGENG", "TRI", "WIDODO", "SUPRIYADI", "SUKARNO", "PRASETYO", "SUYANTO", "GUNTUR", "JUMADI",
              "RUSDI", "TUKIMAN", "SUMARNO", "KUSNADI", "SUWARNO", "YULIANTO"],
        "2": ["SRI", "SITI", "ENDANG", "WARTINAH", "SUMIATI", "PARTINI", "SUPRIHATIN", "KARTINI", "LESTARI",
              "WAHYUNI", "RAHAYU", "SULASTRI", "SUKINAH", "TUMINAH", "YULIANI", "PURWANTI", "SUSILOWATI",
              "NGATINI", "SUYATMI", "WINARSIH", "JUMIATI", "SUPARMI"],
    },
    "arab": {
        "1": ["MUHAMMAD", "AHMAD", "ABDUL", "ABDULLAH", "HASAN", "HUSEN", "KHOIRUL", "ZAENAL", "FAJAR", "FAUZI",
              "SYAIFUL", "MAHFUDZ", "RIDWAN", "YUSUF", "ZAKARIA", "ISMAIL", "KHALID", "HAFIDZ", "NURDIN",
              "SYARIF", "ZULKIFLI", "UMAR", "USMAN", "MUKHLIS", "JAMALUDIN", "HASANUDIN", "SAEFULLAH",
              "FIRDAUS", "RAHMAT", "ARIF", "MAULANA", "ILHAM"],
        "2": ["SITI", "NUR", "FATIMAH", "KHADIJAH", "AISYAH", "ZAHRA", "ZAENAB", "SYIFA", "NURHAYATI",
              "FITRIYANI", "RAHMAWATI", "KHOIRUNNISA", "MAISAROH", "HUSNUL", "SAFITRI", "RIKA", "RINA",
              "RINI", "MASITOH", "HALIMAH", "JUBAEDAH", "ZULAEHA", "UMI", "FITRI", "MUNAWAROH", "ROHANI",
              "SAADAH", "NURJANAH", "HAFSAH", "ULFA"],
    },
    "tionghoa": {
        "1": ["HENDRA", "SUSANTO", "WILLIAM", "KEVIN", "FELIX", "VINCENT", "STEVEN", "HERMAN", "JOHAN",
              "ROBERT", "BUDIMAN", "KURNIAWAN", "HARTONO", "YOHANES", "ANDREAS", "DANIEL", "FERRY"],
        "2": ["MELIANA", "LINDA", "VERONIKA", "SUSAN", "JESSICA", "MELINDA", "FRANSISKA", "YULIANA",
              "LIANA", "MEILANI", "CYNTHIA", "VIVIAN", "LILY", "YENNY", "FIFI", "OLIVIA"],
    },
}

# second words: family-like names (Tionghoa surnames are kept by children)
SECOND = {
    "sunda": ["SUPRIATNA", "SUNARYA", "GUNAWAN", "KURNIAWAN", "HIDAYAT", "PERMANA", "SAPUTRA", "SETIAWAN",
              "MULYADI", "SUHENDAR", "RUHIMAT", "SOPANDI", "NURHASAN", "SUPRIADI", "KUSNANDAR", "JUANDA",
              "SURYANA", "RUSTANDI", "SAEPUDIN", "MULYANA", "ROHAYATI", "SUMIRAT", "WIJAYA"],
    "jawa": ["SANTOSO", "WIBOWO", "PURNAMA", "HARTONO", "SUSILO", "NUGROHO", "SETYAWAN", "HIDAYAT",
             "WALUYO", "SAPUTRI", "UTOMO", "PRABOWO", "SUHARTO", "HANDAYANI", "RAHAYU", "LESTARI",
             "MULYONO", "CAHYONO"],
    "arab": ["HASAN", "HUSEN", "RAHMAN", "HIDAYATULLAH", "FAUZIAH", "SAFITRI", "NURHASANAH", "AZIZ",
             "HAKIM", "JAMIL", "SYAHRONI", "MUSTOFA", "KHAIRUDIN", "FIRMANSYAH", "MAULANA", "RAMDANI",
             "ZAKIYAH", "UMAR", "YUSUF", "MAHMUD"],
    "tionghoa": ["WIJAYA", "HALIM", "TANOTO", "SUTANTO", "SANTOSO", "GUNAWAN", "SALIM", "TANUWIJAYA",
                 "KUSUMA", "LIMANTO", "HARTANTO", "ONGKO", "SETIADI", "TJAHJADI"],
}

# given names close enough to be a trap for twins and siblings
SIMILAR_GIVEN = {
    "1": [("HASAN", "HUSEN"), ("JUJUN", "JUJU"), ("DEDEN", "DEDI"), ("YAYAN", "YANA"), ("AGUS", "AGUNG"),
          ("ROHMAT", "RAHMAT"), ("FAJAR", "FAJRI"), ("ARIF", "ARIS"), ("IWAN", "IRWAN"),
          ("SLAMET", "SLAMAT")],
    "2": [("RINA", "RINI"), ("SITI", "SITA"), ("NUNUNG", "NUNUK"), ("YANTI", "YANI"), ("LILIS", "LILI"),
          ("FITRI", "FITRIA"), ("ENENG", "ENUNG"), ("YULI", "YULIA"), ("ANI", "ANA"), ("TUTI", "TITI")],
}

# religion codes by group (contract AGAMA) with weights
RELIGION = {
    "sunda": (["1", "2"], [0.98, 0.02]),
    "jawa": (["1", "2", "3"], [0.94, 0.04, 0.02]),
    "arab": (["1"], [1.0]),
    "tionghoa": (["2", "3", "5", "6"], [0.35, 0.25, 0.3, 0.1]),
}

# share of each group per district
GROUPS = ("sunda", "jawa", "arab", "tionghoa")
DISTRICT_GROUPS = {
    "3601": (0.62, 0.08, 0.29, 0.01),
    "3602": (0.70, 0.05, 0.24, 0.01),
    "3603": (0.30, 0.30, 0.28, 0.12),
    "3604": (0.25, 0.45, 0.28, 0.02),
    "3671": (0.25, 0.32, 0.25, 0.18),
    "3672": (0.20, 0.50, 0.27, 0.03),
    "3673": (0.25, 0.45, 0.28, 0.02),
    "3674": (0.25, 0.30, 0.27, 0.18),
}

# birth places: the district's own towns first, then where migrants come from
HOME_TOWNS = {
    "3601": ["PANDEGLANG", "LABUAN", "MENES", "CIBALIUNG", "SAKETI"],
    "3602": ["LEBAK", "RANGKASBITUNG", "MALINGPING", "BAYAH", "CILELES"],
    "3603": ["TANGERANG", "BALARAJA", "TIGARAKSA", "KRESEK", "MAUK"],
    "3604": ["SERANG", "ANYER", "CIRUAS", "PONTANG", "KRAGILAN"],
    "3671": ["TANGERANG", "CILEDUG", "CIPONDOH", "KARAWACI"],
    "3672": ["CILEGON", "MERAK", "CIWANDAN", "ANYER"],
    "3673": ["SERANG", "KASEMEN", "TAKTAKAN", "WALANTAKA"],
    "3674": ["TANGERANG", "CIPUTAT", "PAMULANG", "SERPONG", "PONDOK AREN"],
}
ELSEWHERE = ["JAKARTA", "BOGOR", "BANDUNG", "SUKABUMI", "CIANJUR", "GARUT", "TASIKMALAYA", "BREBES", "TEGAL",
             "CIREBON", "KUNINGAN", "SEMARANG", "SURABAYA", "LAMPUNG", "PALEMBANG", "MEDAN", "PURWOKERTO"]

STREETS = ["JL. RAYA", "JL. MASJID", "JL. PASAR", "JL. SEKOLAH", "JL. MELATI", "JL. MAWAR", "JL. KENANGA",
           "JL. MERDEKA", "JL. PAHLAWAN", "GG. H. ", "KP. ", "KP. ", "KP. ", "PERUM "]

TITLES_HAJJ = {"1": "H.", "2": "HJ."}
DEGREES_AFTER = ["S.PD", "S.E", "S.H", "S.AG", "S.KOM", "S.T", "M.PD", "S.PD.I", "S.SOS", "A.MD"]
DEGREES_BEFORE = ["DRS.", "IR.", "DR."]
