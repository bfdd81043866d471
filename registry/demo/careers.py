"""The demo's working lives: sectors by broad field, career stages and job titles by sector.

A title template may hold {discipline} (the primary subfield's, e.g.
"Professor of Economics") or {profession} (one of the subfield's, e.g.
"Principal engineer", "Senior legal officer"), filled in once per subfield
when the generator starts, never per member.
"""

# Broad field -> sector weights (students are drawn apart, by stage).
SECTOR_WEIGHTS = {
    "1": {
        "academia": 40,
        "research": 20,
        "industry": 22,
        "government": 7,
        "international": 4,
        "nonprofit": 3,
        "entrepreneur": 4,
    },
    "2": {
        "academia": 25,
        "research": 10,
        "industry": 48,
        "government": 7,
        "international": 3,
        "nonprofit": 2,
        "entrepreneur": 5,
    },
    "3": {
        "academia": 24,
        "research": 8,
        "industry": 10,
        "government": 44,
        "international": 6,
        "nonprofit": 6,
        "entrepreneur": 2,
    },
    "4": {
        "academia": 35,
        "research": 20,
        "industry": 15,
        "government": 14,
        "international": 10,
        "nonprofit": 4,
        "entrepreneur": 2,
    },
    "5": {
        "academia": 38,
        "research": 8,
        "industry": 20,
        "government": 12,
        "international": 12,
        "nonprofit": 7,
        "entrepreneur": 3,
    },
    "6": {
        "academia": 55,
        "research": 8,
        "industry": 8,
        "government": 6,
        "international": 6,
        "nonprofit": 14,
        "entrepreneur": 3,
    },
}
STUDENT_SHARE = 0.07

# Sector -> career stage weights.
STAGE_WEIGHTS = {
    "academia": {"r1": 18, "r2": 22, "r3": 28, "r4": 22, "practitioner": 10},
    "research": {"r1": 10, "r2": 28, "r3": 34, "r4": 18, "practitioner": 10},
    "industry": {"r2": 8, "r3": 8, "r4": 4, "practitioner": 80},
    "government": {"r3": 8, "r4": 4, "practitioner": 88},
    "international": {"r3": 8, "r4": 4, "practitioner": 88},
    "nonprofit": {"r2": 8, "r3": 8, "practitioner": 84},
    "entrepreneur": {"practitioner": 100},
}

# Years of experience by stage: (least, most).
EXPERIENCE = {
    "student": (0, 2),
    "r1": (0, 4),
    "r2": (2, 9),
    "r3": (7, 20),
    "r4": (14, 40),
    "practitioner": (2, 35),
}

# (sector, stage) -> title templates.
TITLES = {
    ("student", "student"): [
        "MSc student in {discipline}",
        "PhD student in {discipline}",
        "Graduate student",
    ],
    ("academia", "r1"): [
        "PhD candidate in {discipline}",
        "Doctoral researcher",
        "Research assistant",
    ],
    ("academia", "r2"): [
        "Postdoctoral researcher",
        "Research fellow",
        "Lecturer in {discipline}",
        "Assistant professor of {discipline}",
    ],
    ("academia", "r3"): [
        "Senior Lecturer in {discipline}",
        "Associate professor of {discipline}",
        "Reader in {discipline}",
    ],
    ("academia", "r4"): [
        "Professor of {discipline}",
        "Professor",
        "Head of the Department of {discipline}",
        "Chair of {discipline}",
    ],
    ("academia", "practitioner"): [
        "Teaching fellow in {discipline}",
        "Senior {profession}",
        "Laboratory manager",
    ],
    ("research", "r1"): ["Doctoral researcher", "Research assistant"],
    ("research", "r2"): ["Postdoctoral researcher", "Research scientist"],
    ("research", "r3"): ["Senior scientist", "Staff scientist", "Group leader"],
    ("research", "r4"): ["Research director", "Head of division", "Principal investigator"],
    ("research", "practitioner"): [
        "Research engineer",
        "Scientific officer",
        "Research software engineer",
    ],
    ("industry", "r2"): ["Research scientist", "{profession}"],
    ("industry", "r3"): ["Senior research scientist", "R&D team lead"],
    ("industry", "r4"): ["Head of R&D", "Chief scientist", "Chief technology officer"],
    ("industry", "practitioner"): [
        "{profession}",
        "Senior {profession}",
        "Principal {profession}",
        "Lead {profession}",
    ],
    ("government", "r3"): ["Senior scientific officer", "Scientific adviser"],
    ("government", "r4"): ["Chief scientific adviser", "Director of research"],
    ("government", "practitioner"): [
        "Policy officer",
        "Senior policy adviser",
        "{profession}",
        "Senior {profession}",
    ],
    ("international", "r3"): ["Senior technical officer", "Senior programme specialist"],
    ("international", "r4"): ["Section head", "Division director"],
    ("international", "practitioner"): [
        "Programme specialist",
        "Programme officer",
        "Technical officer",
        "Senior {profession}",
    ],
    ("nonprofit", "r2"): ["Research fellow"],
    ("nonprofit", "r3"): ["Senior research fellow", "Head of research"],
    ("nonprofit", "practitioner"): [
        "Programme manager",
        "Project coordinator",
        "{profession}",
        "Senior {profession}",
    ],
    ("entrepreneur", "practitioner"): [
        "Founder and CEO",
        "Co-founder and CTO",
        "Managing director",
        "Independent {profession}",
    ],
}

# Clinicians (subfield 3.2) in a hospital: titles built from their specialty,
# the first of their keywords (cardiology -> Consultant cardiologist).
SPECIALISTS = {
    "cardiology": "cardiologist",
    "oncology": "oncologist",
    "surgery": "surgeon",
    "paediatrics": "paediatrician",
    "neurology": "neurologist",
    "nuclear medicine": "nuclear medicine physician",
    "radiology": "radiologist",
    "diabetes": "diabetologist",
    "infectious diseases": "infectious disease physician",
    "gynaecology": "gynaecologist",
    "nephrology": "nephrologist",
    "psychiatry": "psychiatrist",
    "radiotherapy": "clinical oncologist",
}
CLINICIAN_TITLES = [
    "Consultant {specialist}",
    "Consultant {specialist}",
    "Specialist registrar in {specialty}",
    "Associate specialist in {specialty}",
]
CLINICIAN_SECTORS = ("government", "industry")

QUALIFICATIONS = {
    "student": ["bachelors", "bachelors", "masters"],
    "r1": ["masters", "masters", "masters", "bachelors"],
    "r2": ["phd"],
    "r3": ["phd"],
    "r4": ["phd"],
    "practitioner": [
        "masters",
        "masters",
        "masters",
        "bachelors",
        "bachelors",
        "phd",
        "phd",
        "other",
    ],
}
# Medicine (3.x): most doctors' highest qualification is the MBBS/MD.
MEDICAL_QUALIFICATIONS = {
    "r2": ["phd", "md"],
    "r3": ["phd", "md", "md"],
    "r4": ["phd", "md", "md"],
    "practitioner": ["md", "md", "md", "masters"],
}
