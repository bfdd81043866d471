"""Load the taxonomy: OECD Fields of R&D (Frascati Manual 2015), the 17 UN SDGs,
engagement types, international projects and a starter set of clusters.

Codes and slugs are stable keys; names are display text that staff may edit in
the admin. The data is written here, frozen, rather than imported from the app,
so that this migration gives the same result forever.
"""

from django.db import migrations

FIELDS = [
    (
        "1",
        "Natural sciences",
        [
            "Mathematics",
            "Computer and information sciences",
            "Physical sciences",
            "Chemical sciences",
            "Earth and related environmental sciences",
            "Biological sciences",
            "Other natural sciences",
        ],
    ),
    (
        "2",
        "Engineering and technology",
        [
            "Civil engineering",
            "Electrical engineering, electronic engineering, information engineering",
            "Mechanical engineering",
            "Chemical engineering",
            "Materials engineering",
            "Medical engineering",
            "Environmental engineering",
            "Environmental biotechnology",
            "Industrial biotechnology",
            "Nano-technology",
            "Other engineering and technologies",
        ],
    ),
    (
        "3",
        "Medical and health sciences",
        [
            "Basic medicine",
            "Clinical medicine",
            "Health sciences",
            "Medical biotechnology",
            "Other medical sciences",
        ],
    ),
    (
        "4",
        "Agricultural and veterinary sciences",
        [
            "Agriculture, forestry, and fisheries",
            "Animal and dairy science",
            "Veterinary science",
            "Agricultural biotechnology",
            "Other agricultural sciences",
        ],
    ),
    (
        "5",
        "Social sciences",
        [
            "Psychology and cognitive sciences",
            "Economics and business",
            "Education",
            "Sociology",
            "Law",
            "Political science",
            "Social and economic geography",
            "Media and communications",
            "Other social sciences",
        ],
    ),
    (
        "6",
        "Humanities and the arts",
        [
            "History and archaeology",
            "Languages and literature",
            "Philosophy, ethics and religion",
            "Arts (arts, history of arts, performing arts, music)",
            "Other humanities",
        ],
    ),
]

SDGS = [
    "No poverty",
    "Zero hunger",
    "Good health and well-being",
    "Quality education",
    "Gender equality",
    "Clean water and sanitation",
    "Affordable and clean energy",
    "Decent work and economic growth",
    "Industry, innovation and infrastructure",
    "Reduced inequalities",
    "Sustainable cities and communities",
    "Responsible consumption and production",
    "Climate action",
    "Life below water",
    "Life on land",
    "Peace, justice and strong institutions",
    "Partnerships for the goals",
]

ENGAGEMENT_TYPES = [
    ("joint-research", "Joint research"),
    ("lectures", "Guest lectures / online teaching"),
    ("supervision", "PhD co-supervision and mentoring"),
    ("hosting", "Hosting students and interns"),
    ("technology-transfer", "Technology transfer and consulting"),
    ("policy-advice", "Policy advice"),
    ("entrepreneurship", "Entrepreneurship and investment"),
    ("visits", "Visiting the country"),
]

PROJECTS = [
    ("cern", "CERN (and its experiments: ATLAS, CMS, ALICE, LHCb)"),
    ("iter", "ITER"),
    ("ska", "SKA (Square Kilometre Array)"),
    ("eso-alma", "ESO / ALMA"),
    ("iss", "ISS (International Space Station)"),
    ("ligo-virgo", "LIGO / Virgo"),
    ("icecube", "IceCube"),
    ("sesame", "SESAME"),
    ("jinr", "JINR (Joint Institute for Nuclear Research)"),
    ("ictp", "ICTP (Abdus Salam International Centre for Theoretical Physics)"),
]

CLUSTERS = [
    (
        "nuclear-science-medicine",
        "Nuclear science and medicine",
        "Nuclear physics, radiation, nuclear medicine and medical physics.",
        [],
        [
            "nuclear",
            "nuclear medicine",
            "radiation",
            "radiotherapy",
            "medical physics",
            "radiology",
            "isotopes",
            "dosimetry",
            "PET imaging",
        ],
    ),
    (
        "particle-physics-accelerators",
        "Particle physics and accelerators",
        "High-energy physics, accelerators and detectors; CERN-type collaborations.",
        [],
        [
            "particle physics",
            "high energy physics",
            "accelerator",
            "accelerators",
            "detector physics",
            "LHC",
            "CERN",
            "quantum field theory",
        ],
    ),
    (
        "ai-data-science",
        "AI and data science",
        "Artificial intelligence, machine learning, data science and computing.",
        ["1.2"],
        [
            "artificial intelligence",
            "AI",
            "machine learning",
            "deep learning",
            "data science",
            "natural language processing",
            "computer vision",
            "big data",
        ],
    ),
    (
        "water-climate-environment",
        "Water, climate and environment",
        "Water resources, climate change, environment and sustainability.",
        ["1.5", "2.7", "2.8"],
        [
            "water",
            "hydrology",
            "climate",
            "climate change",
            "glaciers",
            "flood",
            "water resources",
            "sustainability",
            "air quality",
        ],
    ),
    (
        "health-biomedicine",
        "Health and biomedicine",
        "Clinical and basic medicine, public health, biomedical research.",
        ["3.1", "3.2", "3.3", "3.4", "3.5"],
        ["public health", "epidemiology", "oncology", "cardiology", "vaccines", "genomics"],
    ),
    (
        "agriculture-food-security",
        "Agriculture and food security",
        "Crops, livestock, fisheries and food systems.",
        ["4.1", "4.2", "4.3", "4.4", "4.5"],
        [
            "agriculture",
            "food security",
            "irrigation",
            "crop science",
            "plant breeding",
            "soil science",
        ],
    ),
    (
        "energy",
        "Energy",
        "Renewable and conventional energy, power systems and storage.",
        [],
        [
            "energy",
            "renewable energy",
            "solar",
            "wind power",
            "hydropower",
            "batteries",
            "power systems",
            "smart grid",
            "hydrogen",
        ],
    ),
    (
        "space-remote-sensing",
        "Space and remote sensing",
        "Space science and technology, satellites, earth observation.",
        [],
        [
            "space",
            "satellite",
            "satellites",
            "remote sensing",
            "astronomy",
            "astrophysics",
            "earth observation",
            "GIS",
        ],
    ),
    (
        "heritage-languages-society",
        "Heritage, languages and society",
        "History, archaeology, languages, literature, arts and society.",
        ["6.1", "6.2", "6.3", "6.4", "6.5"],
        [
            "heritage",
            "archaeology",
            "Urdu",
            "linguistics",
            "literature",
            "history",
            "cultural heritage",
            "music",
        ],
    ),
    (
        "economics-governance",
        "Economics, law and governance",
        "Economics, finance, law, public policy and international relations.",
        ["5.2", "5.5", "5.6"],
        [
            "economics",
            "finance",
            "public policy",
            "governance",
            "international relations",
            "development economics",
        ],
    ),
]


def load(apps, schema_editor):
    Field = apps.get_model("registry", "Field")
    Subfield = apps.get_model("registry", "Subfield")
    Sdg = apps.get_model("registry", "Sdg")
    EngagementType = apps.get_model("registry", "EngagementType")
    InternationalProject = apps.get_model("registry", "InternationalProject")
    ExpertiseCluster = apps.get_model("registry", "ExpertiseCluster")

    for field_position, (code, name, subfields) in enumerate(FIELDS, start=1):
        field, _ = Field.objects.update_or_create(
            code=code, defaults={"name": name, "position": field_position}
        )
        for number, sub_name in enumerate(subfields, start=1):
            Subfield.objects.update_or_create(
                code=f"{code}.{number}",
                defaults={"field": field, "name": sub_name, "position": int(code) * 100 + number},
            )
    for number, name in enumerate(SDGS, start=1):
        Sdg.objects.update_or_create(number=number, defaults={"name": name})
    for position, (slug, name) in enumerate(ENGAGEMENT_TYPES, start=1):
        EngagementType.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for position, (slug, name) in enumerate(PROJECTS, start=1):
        InternationalProject.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for slug, name, description, subfield_codes, keywords in CLUSTERS:
        cluster, _ = ExpertiseCluster.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "keywords": "\n".join(keywords)},
        )
        cluster.subfields.set(Subfield.objects.filter(code__in=subfield_codes))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
