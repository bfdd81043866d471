"""The demo's people and places: names from many regions, countries and cities.

Names come in Urdu and Arabic script and accented Latin letters as well as
plain ASCII; each has an ASCII form for the e-mail address. No string holds
a character with a meaning in COPY's text format (the generator checks).
"""

# (display name, ASCII form for the e-mail address)
FIRST_NAMES = {
    "south_asian": [
        (n, n.lower())
        for n in (
            "Ayesha Fatima Zainab Hina Sana Maryam Ali Ahmed Hassan Usman Bilal Imran Farhan "
            "Saad Nadia Kamran Asad Amna Rabia Tariq Omar Sadia Faisal Zara Hamza Mahnoor "
            "Adeel Sobia Junaid Iqra Waqar Mehwish Shahid Noor Arslan Kiran"
        ).split()
    ],
    "urdu": [
        ("عائشہ", "ayesha"),
        ("فاطمہ", "fatima"),
        ("علی", "ali"),
        ("احمد", "ahmed"),
        ("حسن", "hassan"),
        ("زینب", "zainab"),
        ("عمران", "imran"),
        ("مریم", "maryam"),
        ("بلال", "bilal"),
        ("ثنا", "sana"),
        ("حمزہ", "hamza"),
        ("نادیہ", "nadia"),
    ],
    "arabic": [
        ("يوسف", "yusuf"),
        ("ليلى", "layla"),
        ("خالد", "khalid"),
        ("نور", "noor"),
        ("Yusuf", "yusuf"),
        ("Layla", "layla"),
        ("Khalid", "khalid"),
        ("Rania", "rania"),
    ],
    "european": [
        ("José", "jose"),
        ("François", "francois"),
        ("Zoë", "zoe"),
        ("Søren", "soren"),
        ("Łukasz", "lukasz"),
        ("Inès", "ines"),
        ("Björn", "bjorn"),
        ("Renée", "renee"),
        ("Anna", "anna"),
        ("Marco", "marco"),
        ("Élodie", "elodie"),
        ("Jürgen", "jurgen"),
    ],
    "east_asian": [
        ("Wei", "wei"),
        ("Yuki", "yuki"),
        ("Min-jun", "minjun"),
        ("Mei", "mei"),
        ("Hiroshi", "hiroshi"),
        ("Ji-woo", "jiwoo"),
    ],
    "african": [
        ("Chinedu", "chinedu"),
        ("Amara", "amara"),
        ("Kwame", "kwame"),
        ("Zanele", "zanele"),
        ("Tariku", "tariku"),
        ("Nia", "nia"),
    ],
}
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
]
REGIONS_AT_HOME = [
    "Punjab",
    "Sindh",
    "Khyber Pakhtunkhwa",
    "Balochistan",
    "Islamabad",
    "Gilgit-Baltistan",
    "Azad Kashmir",
]
