"""The demo's expertise: per subfield, its discipline, professions, domains and keywords.

Every keyword and summary of a demo member comes from the vocabulary of its
own subfields, so a lawyer is tagged with law, not computer science. The
domains say which employers fit the subfield (registry.demo.organisations).
Lists run from most to least popular where the generator draws them by a
Zipf-like weight.
"""

from registry.models import Member


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(";"))


# Subfield codes (migration 0002_taxonomy) from most to least popular.
SUBFIELD_POPULARITY = _words(
    "1.2;3.2;2.2;5.2;1.3;2.3;2.1;3.3;1.6;1.4;3.1;2.5;1.1;1.5;2.4;5.3;4.1;5.1;2.7;5.6;5.5;"
    "5.4;3.4;2.11;2.10;6.2;6.1;2.6;4.3;4.2;5.8;5.7;6.3;2.9;4.4;1.7;6.4;2.8;3.5;5.9;4.5;6.5"
)

# code: (discipline, professions, employer domains, keywords by popularity)
SUBFIELDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    code: (discipline, _words(professions), _words(domains), _words(keywords))
    for code, discipline, professions, domains, keywords in [
        (
            "1.1",
            "Mathematics",
            "statistician;quantitative analyst;actuary",
            "finance;tech",
            "algebra;number theory;probability;statistics;optimisation;cryptography;topology",
        ),
        (
            "1.2",
            "Computer Science",
            "software engineer;data scientist;machine learning engineer",
            "tech;finance",
            "machine learning;data science;computer vision;natural language "
            "processing;distributed systems;cybersecurity;cryptography;artificial intelligence;"
            "databases;human-computer interaction",
        ),
        (
            "1.3",
            "Physics",
            "physicist;optical engineer;research physicist",
            "science;energy;tech",
            "particle physics;condensed matter;quantum computing;astrophysics;nuclear physics;"
            "accelerator physics;optics;plasma physics;detector physics",
        ),
        (
            "1.4",
            "Chemistry",
            "chemist;analytical chemist;process chemist",
            "pharma;energy",
            "organic chemistry;catalysis;analytical chemistry;electrochemistry;polymer chemistry;"
            "spectroscopy;computational chemistry",
        ),
        (
            "1.5",
            "Earth Sciences",
            "geologist;hydrologist;climate scientist;geophysicist",
            "env;energy",
            "climate modelling;hydrology;seismology;remote sensing;glaciers;"
            "groundwater;air quality;petroleum geology",
        ),
        (
            "1.6",
            "Biology",
            "biologist;microbiologist;bioinformatician",
            "pharma;agri;health",
            "genomics;molecular biology;bioinformatics;microbiology;ecology;cell biology;"
            "neuroscience;plant biology",
        ),
        (
            "1.7",
            "Natural Sciences",
            "scientist;laboratory scientist",
            "science",
            "science communication;history of science;laboratory methods;metrology",
        ),
        (
            "2.1",
            "Civil Engineering",
            "civil engineer;structural engineer;geotechnical engineer",
            "eng",
            "structural engineering;earthquake engineering;transport engineering;"
            "geotechnics;bridges;construction management;urban infrastructure",
        ),
        (
            "2.2",
            "Electrical Engineering",
            "electrical engineer;electronics engineer;engineer",
            "eng;energy;tech",
            "power systems;renewable energy;telecommunications;smart grid;"
            "semiconductors;embedded systems;signal processing;solar;robotics;satellite",
        ),
        (
            "2.3",
            "Mechanical Engineering",
            "mechanical engineer;design engineer;engineer",
            "eng",
            "thermodynamics;robotics;fluid mechanics;manufacturing;automotive engineering;"
            "aerospace engineering;HVAC",
        ),
        (
            "2.4",
            "Chemical Engineering",
            "chemical engineer;process engineer",
            "energy;eng",
            "process engineering;petrochemicals;water treatment;hydrogen;separation processes",
        ),
        (
            "2.5",
            "Materials Engineering",
            "materials engineer;metallurgist",
            "eng",
            "materials;composites;metallurgy;batteries;ceramics;corrosion",
        ),
        (
            "2.6",
            "Biomedical Engineering",
            "biomedical engineer;clinical engineer",
            "health;eng",
            "medical devices;biomechanics;medical imaging;prosthetics;biosensors",
        ),
        (
            "2.7",
            "Environmental Engineering",
            "environmental engineer;water engineer",
            "env;eng",
            "water treatment;waste management;water resources;air quality;sustainability;flood",
        ),
        (
            "2.8",
            "Environmental Biotechnology",
            "environmental biotechnologist",
            "env",
            "bioremediation;wastewater;biogas;environmental microbiology",
        ),
        (
            "2.9",
            "Industrial Biotechnology",
            "bioprocess engineer;biotechnologist",
            "pharma",
            "bioprocessing;fermentation;enzymes;biofuels;bioprocess engineering",
        ),
        (
            "2.10",
            "Nanotechnology",
            "nanotechnology engineer;process engineer",
            "tech;eng",
            "nanomaterials;thin films;nanofabrication;graphene;nanomedicine",
        ),
        (
            "2.11",
            "Engineering",
            "engineer;systems engineer;project engineer",
            "eng;energy",
            "systems engineering;nuclear engineering;mining engineering;petroleum engineering;"
            "hydropower;satellite",
        ),
        (
            "3.1",
            "Biomedical Sciences",
            "pharmacologist;immunologist;pathologist",
            "health;pharma",
            "immunology;pharmacology;pathology;physiology;anatomy;vaccines;genomics",
        ),
        (
            "3.2",
            "Medicine",
            "physician;surgeon;medical adviser",
            "health",
            "cardiology;oncology;surgery;paediatrics;neurology;nuclear medicine;radiology;"
            "diabetes;infectious diseases;gynaecology;nephrology;psychiatry;radiotherapy",
        ),
        (
            "3.3",
            "Public Health",
            "public health specialist;epidemiologist;health economist",
            "health",
            "public health;epidemiology;health policy;global health;nutrition;"
            "maternal health;health systems;vaccines",
        ),
        (
            "3.4",
            "Medical Biotechnology",
            "biotechnologist;clinical scientist",
            "pharma;health",
            "gene therapy;diagnostics;stem cells;biomarkers;drug discovery",
        ),
        (
            "3.5",
            "Medical Sciences",
            "medical physicist;pharmacist;clinical scientist",
            "health",
            "medical physics;PET imaging;dosimetry;pharmacy;forensic medicine",
        ),
        (
            "4.1",
            "Agriculture",
            "agronomist;agricultural economist;fisheries scientist",
            "agri",
            "crop science;irrigation;food security;soil science;aquaculture;forestry;"
            "agricultural economics",
        ),
        (
            "4.2",
            "Animal Science",
            "animal scientist;dairy scientist",
            "agri",
            "livestock;dairy science;animal nutrition;poultry;animal breeding",
        ),
        (
            "4.3",
            "Veterinary Science",
            "veterinarian;veterinary surgeon",
            "agri;health",
            "veterinary medicine;animal health;zoonoses;veterinary epidemiology",
        ),
        (
            "4.4",
            "Agricultural Biotechnology",
            "plant scientist;biotechnologist",
            "agri",
            "plant breeding;crop genetics;genetically modified crops;plant pathology",
        ),
        (
            "4.5",
            "Agricultural Sciences",
            "agricultural scientist;food scientist",
            "agri",
            "food science;agricultural extension;food security;post-harvest technology",
        ),
        (
            "5.1",
            "Psychology",
            "clinical psychologist;psychologist",
            "health;social",
            "psychology;cognitive science;mental health;child development;behavioural science",
        ),
        (
            "5.2",
            "Economics",
            "economist;financial analyst;consultant",
            "finance;social",
            "development economics;finance;econometrics;macroeconomics;trade;labour economics;"
            "public finance;banking",
        ),
        (
            "5.3",
            "Education",
            "education specialist;curriculum developer",
            "social;culture",
            "education policy;teacher training;higher education;curriculum design;e-learning",
        ),
        (
            "5.4",
            "Sociology",
            "sociologist;social researcher",
            "social",
            "migration;gender studies;social inequality;urban sociology;demography",
        ),
        (
            "5.5",
            "Law",
            "lawyer;legal adviser;legal officer",
            "law",
            "human rights law;international law;commercial law;constitutional law;"
            "arbitration;intellectual property law;nuclear law",
        ),
        (
            "5.6",
            "Political Science",
            "policy analyst;political analyst",
            "social",
            "public policy;international relations;governance;security studies;"
            "comparative politics;diplomacy",
        ),
        (
            "5.7",
            "Geography",
            "geographer;urban planner;GIS analyst",
            "env;social",
            "urban planning;GIS;human geography;regional development;land use",
        ),
        (
            "5.8",
            "Media and Communications",
            "journalist;communications specialist",
            "media",
            "media studies;journalism;digital media;strategic communication;film studies",
        ),
        (
            "5.9",
            "Social Sciences",
            "social scientist;research analyst",
            "social",
            "development studies;anthropology;social policy;survey methods",
        ),
        (
            "6.1",
            "History",
            "historian;archaeologist;curator",
            "culture",
            "history;archaeology;cultural heritage;Mughal history;colonial history;museum studies",
        ),
        (
            "6.2",
            "Languages and Literature",
            "translator;editor;linguist",
            "culture;media",
            "Urdu literature;linguistics;English literature;translation studies;Persian poetry;"
            "comparative literature",
        ),
        (
            "6.3",
            "Philosophy and Religion",
            "ethicist;researcher",
            "culture",
            "Islamic philosophy;ethics;comparative religion;philosophy of mind;Sufism",
        ),
        (
            "6.4",
            "Arts",
            "architect;musician;artist;curator",
            "culture;media",
            "music;Mughal architecture;architecture;art history;calligraphy;film;design",
        ),
        (
            "6.5",
            "Humanities",
            "researcher;curator",
            "culture",
            "digital humanities;cultural studies;heritage conservation;folklore",
        ),
    ]
}

# The other subfields of a member are mostly of the primary subfield's own
# broad field, sometimes one of these neighbours of it.
NEIGHBOURS = {
    "1": _words("2.2;2.1;2.7;2.10;3.3"),
    "2": _words("1.2;1.3;1.4;1.5"),
    "3": _words("1.6;2.6;5.1"),
    "4": _words("1.6;1.5;5.2"),
    "5": _words("6.1;6.3;3.3;1.1"),
    "6": _words("5.3;5.4;5.8"),
}

# Status shares by how long ago the member registered: the review queue holds
# the recent registrations; older ones have mostly been reviewed.
RECENT_DAYS = 60
STATUS_WEIGHTS_RECENT = [
    (Member.Status.SUBMITTED, 52),
    (Member.Status.UNCONFIRMED, 16),
    (Member.Status.VERIFIED, 26),
    (Member.Status.REJECTED, 2),
    (Member.Status.DUPLICATE, 3),
    (Member.Status.WITHDRAWN, 1),
]
STATUS_WEIGHTS_OLDER = [
    (Member.Status.VERIFIED, 76),
    (Member.Status.SUBMITTED, 5),
    (Member.Status.UNCONFIRMED, 5),
    (Member.Status.REJECTED, 4),
    (Member.Status.DUPLICATE, 4),
    (Member.Status.WITHDRAWN, 6),
]
CONNECTIONS = ["citizen", "citizen", "citizen", "dual", "dual", "origin"]
HOURS_PER_MONTH = [None, None, "2", "4", "4", "8", "8", "16", "20"]
