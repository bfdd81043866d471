"""Text normalisation: trimming, NFC, e-mail case, folding, keywords (registry.text)."""

from registry.text import fold, normalize_email, normalize_text, split_keywords


def test_text_is_trimmed_and_composed_to_nfc():
    decomposed = "Jose\u0301 Garci\u0301a "
    assert normalize_text(decomposed) == "José García"


def test_email_is_trimmed_and_lower_cased():
    assert normalize_email("  Amina.Khan@Example.ORG ") == "amina.khan@example.org"


def test_fold_ignores_case_and_accents_and_keeps_urdu_letters():
    assert fold("Ångström  ÉCOLE") == "angstrom ecole"
    assert fold("عائشہ خان") == "عائشہ خان"


def test_keywords_split_on_commas_and_semicolons_without_duplicates():
    assert split_keywords("AI, machine learning;ai\n  PET imaging ") == [
        "AI",
        "machine learning",
        "PET imaging",
    ]
