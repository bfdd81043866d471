"""The taxonomy's names in Urdu: a name_ur column on every taxonomy table that
members and the public read, filled for the rows 0002_taxonomy loaded.

A row gets its Urdu name only while its English name is still the one loaded
by 0002_taxonomy and its Urdu name is empty: a row staff renamed would get a
translation of a name it no longer has, so it is left for the focal point to
translate in the admin (its list shows which rows lack an Urdu name). Codes,
slugs and numbers are the keys. The data is written here, frozen, like
0002_taxonomy's. Proper names of projects (CERN, ITER, SESAME...) stay in
Latin script, with an Urdu gloss where the English gives one. The same terms,
for translators and reviewers, are in docs/glossary.md.
"""

from django.db import migrations, models

# Broad fields and subfields of the OECD Fields of R&D, by code: (English, Urdu).
FIELDS = {
    "1": ("Natural sciences", "قدرتی علوم"),
    "2": ("Engineering and technology", "انجینئرنگ اور ٹیکنالوجی"),
    "3": ("Medical and health sciences", "طبی اور صحت کے علوم"),
    "4": ("Agricultural and veterinary sciences", "زرعی اور ویٹرنری علوم"),
    "5": ("Social sciences", "سماجی علوم"),
    "6": ("Humanities and the arts", "انسانی علوم اور فنون"),
}

SUBFIELDS = {
    "1.1": ("Mathematics", "ریاضی"),
    "1.2": ("Computer and information sciences", "کمپیوٹر اور معلوماتی علوم"),
    "1.3": ("Physical sciences", "طبیعیاتی علوم"),
    "1.4": ("Chemical sciences", "کیمیائی علوم"),
    "1.5": ("Earth and related environmental sciences", "ارضیاتی اور متعلقہ ماحولیاتی علوم"),
    "1.6": ("Biological sciences", "حیاتیاتی علوم"),
    "1.7": ("Other natural sciences", "دیگر قدرتی علوم"),
    "2.1": ("Civil engineering", "سول انجینئرنگ"),
    "2.2": (
        "Electrical engineering, electronic engineering, information engineering",
        "الیکٹریکل انجینئرنگ، الیکٹرانک انجینئرنگ، انفارمیشن انجینئرنگ",
    ),
    "2.3": ("Mechanical engineering", "مکینیکل انجینئرنگ"),
    "2.4": ("Chemical engineering", "کیمیکل انجینئرنگ"),
    "2.5": ("Materials engineering", "میٹیریلز انجینئرنگ"),
    "2.6": ("Medical engineering", "میڈیکل انجینئرنگ"),
    "2.7": ("Environmental engineering", "ماحولیاتی انجینئرنگ"),
    "2.8": ("Environmental biotechnology", "ماحولیاتی بایو ٹیکنالوجی"),
    "2.9": ("Industrial biotechnology", "صنعتی بایو ٹیکنالوجی"),
    "2.10": ("Nano-technology", "نینو ٹیکنالوجی"),
    "2.11": ("Other engineering and technologies", "دیگر انجینئرنگ اور ٹیکنالوجیز"),
    "3.1": ("Basic medicine", "بنیادی طب"),
    "3.2": ("Clinical medicine", "کلینیکل طب"),
    "3.3": ("Health sciences", "صحت کے علوم"),
    "3.4": ("Medical biotechnology", "طبی بایو ٹیکنالوجی"),
    "3.5": ("Other medical sciences", "دیگر طبی علوم"),
    "4.1": ("Agriculture, forestry, and fisheries", "زراعت، جنگلات اور ماہی گیری"),
    "4.2": ("Animal and dairy science", "مویشی پروری اور ڈیری سائنس"),
    "4.3": ("Veterinary science", "ویٹرنری سائنس"),
    "4.4": ("Agricultural biotechnology", "زرعی بایو ٹیکنالوجی"),
    "4.5": ("Other agricultural sciences", "دیگر زرعی علوم"),
    "5.1": ("Psychology and cognitive sciences", "نفسیات اور ادراکی علوم"),
    "5.2": ("Economics and business", "معاشیات اور کاروبار"),
    "5.3": ("Education", "تعلیم"),
    "5.4": ("Sociology", "عمرانیات"),
    "5.5": ("Law", "قانون"),
    "5.6": ("Political science", "سیاسیات"),
    "5.7": ("Social and economic geography", "سماجی اور معاشی جغرافیہ"),
    "5.8": ("Media and communications", "میڈیا اور ابلاغیات"),
    "5.9": ("Other social sciences", "دیگر سماجی علوم"),
    "6.1": ("History and archaeology", "تاریخ اور آثارِ قدیمہ"),
    "6.2": ("Languages and literature", "زبانیں اور ادب"),
    "6.3": ("Philosophy, ethics and religion", "فلسفہ، اخلاقیات اور مذہب"),
    "6.4": (
        "Arts (arts, history of arts, performing arts, music)",
        "فنون (فنونِ لطیفہ، تاریخِ فن، پرفارمنگ آرٹس، موسیقی)",
    ),
    "6.5": ("Other humanities", "دیگر انسانی علوم"),
}

# The 17 Sustainable Development Goals by number: their short names.
SDGS = {
    1: ("No poverty", "غربت کا خاتمہ"),
    2: ("Zero hunger", "بھوک کا خاتمہ"),
    3: ("Good health and well-being", "اچھی صحت اور بہبود"),
    4: ("Quality education", "معیاری تعلیم"),
    5: ("Gender equality", "صنفی مساوات"),
    6: ("Clean water and sanitation", "صاف پانی اور صفائی ستھرائی"),
    7: ("Affordable and clean energy", "سستی اور صاف توانائی"),
    8: ("Decent work and economic growth", "باعزت روزگار اور معاشی ترقی"),
    9: ("Industry, innovation and infrastructure", "صنعت، جدت اور بنیادی ڈھانچہ"),
    10: ("Reduced inequalities", "عدم مساوات میں کمی"),
    11: ("Sustainable cities and communities", "پائیدار شہر اور آبادیاں"),
    12: ("Responsible consumption and production", "ذمہ دارانہ کھپت اور پیداوار"),
    13: ("Climate action", "موسمیاتی اقدامات"),
    14: ("Life below water", "آبی حیات"),
    15: ("Life on land", "زمینی حیات"),
    16: ("Peace, justice and strong institutions", "امن، انصاف اور مضبوط ادارے"),
    17: ("Partnerships for the goals", "اہداف کے لیے شراکت داری"),
}

ENGAGEMENT_TYPES = {
    "joint-research": ("Joint research", "مشترکہ تحقیق"),
    "lectures": ("Guest lectures / online teaching", "مہمان لیکچر / آن لائن تدریس"),
    "supervision": (
        "PhD co-supervision and mentoring",
        "پی ایچ ڈی کی مشترکہ نگرانی اور رہنمائی",
    ),
    "hosting": ("Hosting students and interns", "طلبہ اور انٹرنز کی میزبانی"),
    "technology-transfer": (
        "Technology transfer and consulting",
        "ٹیکنالوجی کی منتقلی اور مشاورت",
    ),
    "policy-advice": ("Policy advice", "پالیسی مشاورت"),
    "entrepreneurship": ("Entrepreneurship and investment", "کاروباری منصوبے اور سرمایہ کاری"),
    "visits": ("Visiting the country", "ملک کا دورہ"),
}

PROJECTS = {
    "cern": (
        "CERN (and its experiments: ATLAS, CMS, ALICE, LHCb)",
        "CERN (اور اس کے تجربات: ATLAS، CMS، ALICE، LHCb)",
    ),
    "iter": ("ITER", "ITER (بین الاقوامی تجرباتی فیوژن ری ایکٹر)"),
    "ska": ("SKA (Square Kilometre Array)", "SKA (اسکوائر کلومیٹر ایرے ریڈیو دوربین)"),
    "eso-alma": ("ESO / ALMA", "ESO / ALMA (یورپی جنوبی رصدگاہ)"),
    "iss": ("ISS (International Space Station)", "ISS (بین الاقوامی خلائی اسٹیشن)"),
    "ligo-virgo": ("LIGO / Virgo", "LIGO / Virgo (ثقلی لہروں کی رصدگاہیں)"),
    "icecube": ("IceCube", "IceCube (قطبِ جنوبی کی نیوٹرینو رصدگاہ)"),
    "sesame": ("SESAME", "SESAME (مشرقِ وسطیٰ کی سنکروٹرون تجربہ گاہ)"),
    "jinr": (
        "JINR (Joint Institute for Nuclear Research)",
        "JINR (جوہری تحقیق کا مشترکہ ادارہ)",
    ),
    "ictp": (
        "ICTP (Abdus Salam International Centre for Theoretical Physics)",
        "ICTP (عبدالسلام بین الاقوامی مرکز برائے نظری طبیعیات)",
    ),
}

# Model name -> (the key column, the names by key).
TABLES = {
    "Field": ("code", FIELDS),
    "Subfield": ("code", SUBFIELDS),
    "Sdg": ("number", SDGS),
    "EngagementType": ("slug", ENGAGEMENT_TYPES),
    "InternationalProject": ("slug", PROJECTS),
}


def load(apps, schema_editor):
    """Fill the Urdu names; idempotent, and a name staff already gave is kept."""
    for model_name, (key, names) in TABLES.items():
        model = apps.get_model("registry", model_name)
        for value, (english, urdu) in names.items():
            model.objects.filter(**{key: value, "name": english, "name_ur": ""}).update(
                name_ur=urdu
            )


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_member_language")]

    operations = [
        migrations.AddField(
            model_name="engagementtype",
            name="name_ur",
            field=models.CharField(
                blank=True,
                help_text="Shown on Urdu pages. Left empty, Urdu pages show the English name.",
                max_length=160,
                verbose_name="name in Urdu",
            ),
        ),
        migrations.AddField(
            model_name="field",
            name="name_ur",
            field=models.CharField(
                blank=True,
                help_text="Shown on Urdu pages. Left empty, Urdu pages show the English name.",
                max_length=160,
                verbose_name="name in Urdu",
            ),
        ),
        migrations.AddField(
            model_name="internationalproject",
            name="name_ur",
            field=models.CharField(
                blank=True,
                help_text="Shown on Urdu pages. Left empty, Urdu pages show the English name.",
                max_length=160,
                verbose_name="name in Urdu",
            ),
        ),
        migrations.AddField(
            model_name="sdg",
            name="name_ur",
            field=models.CharField(
                blank=True,
                help_text="Shown on Urdu pages. Left empty, Urdu pages show the English name.",
                max_length=160,
                verbose_name="name in Urdu",
            ),
        ),
        migrations.AddField(
            model_name="subfield",
            name="name_ur",
            field=models.CharField(
                blank=True,
                help_text="Shown on Urdu pages. Left empty, Urdu pages show the English name.",
                max_length=160,
                verbose_name="name in Urdu",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
