"""The demo's people and places: names from many regions, countries and cities.

Names come in Urdu and Arabic script and accented Latin letters as well as
plain ASCII; each has an ASCII form for the e-mail address. No string holds
a character with a meaning in COPY's text format (the generator checks).
"""

# (display name, ASCII form for the e-mail address, gender: "female", "male" or
# "" for a name given to either), so a member's gender fits the given name.
_F, _M, _U = "female", "male", ""


def _latin(text: str, gender: str) -> list[tuple[str, str, str]]:
    return [(n, n.lower(), gender) for n in text.split()]


FIRST_NAMES = {
    "south_asian": _latin(
        "Ayesha Fatima Zainab Hina Sana Maryam Nadia Amna Rabia Sadia Zara Mahnoor Sobia Iqra "
        "Mehwish Kiran",
        _F,
    )
    + _latin(
        "Ali Ahmed Hassan Usman Bilal Imran Farhan Saad Kamran Asad Tariq Omar Faisal Hamza Adeel "
        "Junaid Waqar Shahid Arslan",
        _M,
    )
    + _latin("Noor", _U),
    "urdu": [
        ("عائشہ", "ayesha", _F),
        ("فاطمہ", "fatima", _F),
        ("علی", "ali", _M),
        ("احمد", "ahmed", _M),
        ("حسن", "hassan", _M),
        ("زینب", "zainab", _F),
        ("عمران", "imran", _M),
        ("مریم", "maryam", _F),
        ("بلال", "bilal", _M),
        ("ثنا", "sana", _F),
        ("حمزہ", "hamza", _M),
        ("نادیہ", "nadia", _F),
    ],
    "arabic": [
        ("يوسف", "yusuf", _M),
        ("ليلى", "layla", _F),
        ("خالد", "khalid", _M),
        ("نور", "noor", _U),
        ("Yusuf", "yusuf", _M),
        ("Layla", "layla", _F),
        ("Khalid", "khalid", _M),
        ("Rania", "rania", _F),
    ],
    "european": [
        ("José", "jose", _M),
        ("François", "francois", _M),
        ("Zoë", "zoe", _F),
        ("Søren", "soren", _M),
        ("Łukasz", "lukasz", _M),
        ("Inès", "ines", _F),
        ("Björn", "bjorn", _M),
        ("Renée", "renee", _F),
        ("Anna", "anna", _F),
        ("Marco", "marco", _M),
        ("Élodie", "elodie", _F),
        ("Jürgen", "jurgen", _M),
    ],
    "east_asian": [
        ("Wei", "wei", _U),
        ("Yuki", "yuki", _U),
        ("Min-jun", "minjun", _M),
        ("Mei", "mei", _F),
        ("Hiroshi", "hiroshi", _M),
        ("Ji-woo", "jiwoo", _U),
    ],
    "african": [
        ("Chinedu", "chinedu", _M),
        ("Amara", "amara", _F),
        ("Kwame", "kwame", _M),
        ("Zanele", "zanele", _F),
        ("Tariku", "tariku", _M),
        ("Nia", "nia", _F),
    ],
}
# Gender as declared: mostly female or male; some leave it undisclosed or blank.
GENDER_WEIGHTS = {"female": 42, "male": 50, "undisclosed": 5, "": 2.5, "other": 0.5}
LAST_NAMES = {
    "south_asian": [
        (n, n.lower())
        for n in (
            "Khan Ahmed Malik Qureshi Siddiqui Chaudhry Hussain Shah Butt Raza Iqbal Javed Aslam "
            "Akhtar Baig Mirza Sheikh Rehman Abbasi Bhatti Naqvi Rizvi Zaidi Awan Gillani Hashmi"
        ).split()
    ],
    "urdu": [
        ("خان", "khan"),
        ("ملک", "malik"),
        ("قریشی", "qureshi"),
        ("صدیقی", "siddiqui"),
        ("حسین", "hussain"),
        ("شاہ", "shah"),
        ("رضا", "raza"),
        ("اقبال", "iqbal"),
    ],
    "arabic": [
        ("الحسن", "alhassan"),
        ("العلي", "alali"),
        ("منصور", "mansour"),
        ("Al-Hassan", "alhassan"),
        ("Mansour", "mansour"),
        ("Haddad", "haddad"),
    ],
    "european": [
        ("García", "garcia"),
        ("Müller", "muller"),
        ("Dvořák", "dvorak"),
        ("Søndergaard", "sondergaard"),
        ("Öztürk", "ozturk"),
        ("Núñez", "nunez"),
        ("Lefèvre", "lefevre"),
        ("Ibáñez", "ibanez"),
        ("Nováková", "novakova"),
        ("Rossi", "rossi"),
    ],
    "east_asian": [
        ("Zhang", "zhang"),
        ("Tanaka", "tanaka"),
        ("Kim", "kim"),
        ("Chen", "chen"),
        ("Sato", "sato"),
        ("Park", "park"),
    ],
    "african": [
        ("Okafor", "okafor"),
        ("Mensah", "mensah"),
        ("Boateng", "boateng"),
        ("Dlamini", "dlamini"),
        ("Bekele", "bekele"),
        ("Abebe", "abebe"),
    ],
}
REGION_WEIGHTS = {
    "south_asian": 62,
    "urdu": 12,
    "arabic": 7,
    "european": 10,
    "east_asian": 5,
    "african": 4,
}
# (code, cities, weight): the countries of residence.
COUNTRIES = [
    ("US", ["Boston", "San Francisco", "Houston", "New York", "Chicago"], 20),
    ("GB", ["London", "Manchester", "Birmingham", "Edinburgh", "Cambridge"], 18),
    ("CA", ["Toronto", "Montréal", "Vancouver", "Calgary"], 10),
    ("DE", ["Berlin", "München", "Heidelberg", "Aachen"], 7),
    ("AU", ["Sydney", "Melbourne", "Brisbane"], 6),
    ("AE", ["Dubai", "Abu Dhabi", "Sharjah"], 6),
    ("SA", ["Riyadh", "Jeddah", "Thuwal"], 5),
    ("FR", ["Paris", "Lyon", "Grenoble"], 3),
    ("IT", ["Roma", "Milano", "Trieste"], 3),
    ("SE", ["Stockholm", "Göteborg", "Lund"], 3),
    ("NL", ["Amsterdam", "Delft", "Utrecht"], 3),
    ("CH", ["Genève", "Zürich", "Lausanne"], 2),
    ("CN", ["Beijing", "Shanghai", "Wuhan"], 2),
    ("JP", ["Tokyo", "Osaka", "Tsukuba"], 2),
    ("MY", ["Kuala Lumpur", "Penang"], 2),
    ("TR", ["Istanbul", "Ankara"], 2),
    ("QA", ["Doha"], 2),
    ("IE", ["Dublin", "Cork"], 1),
    ("NO", ["Oslo", "Trondheim"], 1),
    ("NZ", ["Auckland", "Wellington"], 1),
    ("ES", ["Madrid", "Barcelona"], 1),
    ("KR", ["Seoul", "Daejeon"], 1),
    ("SG", ["Singapore"], 1),
    ("OM", ["Muscat"], 1),
    ("KW", ["Kuwait City"], 1),
    ("AT", ["Wien", "Graz"], 1),
]
# Where members studied, besides at home (PK) and in their country of residence.
STUDY_ABROAD = {"US": 5, "GB": 5, "DE": 2, "CA": 2, "AU": 2, "CN": 1, "MY": 1, "TR": 1, "SE": 1}
HOME_COUNTRY = "PK"
HOME_CITIES = ["Islamabad", "Lahore", "Karachi", "Peshawar", "Faisalabad"]
REGIONS_AT_HOME = [
    "Punjab",
    "Sindh",
    "Khyber Pakhtunkhwa",
    "Balochistan",
    "Islamabad",
    "Gilgit-Baltistan",
    "Azad Kashmir",
]
