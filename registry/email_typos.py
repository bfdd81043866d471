"""A "did you mean …?" hint for mistyped e-mail domains (issue 17).

A typo such as gmial.com means the confirmation e-mail never arrives. The
survey and the link request show, once, the address probably meant next to
the field; the person picks it or keeps what they typed, and the form goes
through either way on the next send (nothing blocks twice). The profile page
shows the hint too, since the address there cannot be changed by the member.
"""

import difflib
import functools

from django.utils.translation import gettext_lazy as _

# Widely used mailbox providers. A domain in this list is never "corrected",
# so a real provider close to another (mail.com, gmx.de, me.com) is left alone.
COMMON_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "yahoo.de",
        "yahoo.ca",
        "ymail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "hotmail.de",
        "outlook.com",
        "outlook.fr",
        "outlook.de",
        "live.com",
        "live.co.uk",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "mail.com",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "126.com",
        "zoho.com",
        "fastmail.com",
    }
)
# Typos too far from the domain for the similarity below.
KNOWN_TYPOS = {
    "gamil.com": "gmail.com",
    "gmal.com": "gmail.com",
    "gnail.com": "gmail.com",
    "hotmai.com": "hotmail.com",
    "homail.com": "hotmail.com",
    "yaho.com": "yahoo.com",
    "outlok.com": "outlook.com",
    "otlook.com": "outlook.com",
}
# How alike (difflib's ratio) a domain must be to a common one to be a typo.
SIMILARITY = 0.85

# The names the hint's controls post with the form.
CHECKED_FIELD = "email_checked"
CHOICE_FIELD = "email_choice"


def email_suggestion(email: str) -> str:
    """The address with the common domain probably meant, or "" if none is."""
    local, at, domain = (email or "").strip().rpartition("@")
    domain = domain.lower()
    if not at or not local or not domain or domain in COMMON_DOMAINS:
        return ""
    meant = KNOWN_TYPOS.get(domain)
    if meant is None:
        meant = _close_common_domain(domain)
    return f"{local}@{meant}" if meant else ""


# Comparing a domain with every common one is the costly part of a check,
# and most answers come from a few domains: each is compared once.
@functools.lru_cache(maxsize=4096)
def _close_common_domain(domain: str) -> str:
    close = difflib.get_close_matches(domain, COMMON_DOMAINS, n=1, cutoff=SIMILARITY)
    return close[0] if close else ""


class EmailTypoMixin:
    """For a form with an `email` field: the hint, shown once, then the person's choice.

    clean_email calls email_typo_resolve(); a view treats a valid form with
    email_check_pending() like an invalid one (shows it again, hint included).
    """

    email_suggestion = ""
    email_as_typed = ""
    email_hint_help = _(
        "Choose one, then send the form again. "
        "If you choose nothing, we keep the address as you typed it."
    )

    def email_typo_resolve(self, email: str) -> str:
        suggestion = email_suggestion(email)
        if not suggestion:
            return email
        if self.data.get(CHECKED_FIELD, "").strip().lower() == email.lower():
            # The hint was shown for this very address: the person chose.
            return suggestion if self.data.get(CHOICE_FIELD) == "suggested" else email
        self.email_suggestion, self.email_as_typed = suggestion, email
        return email

    def email_check_pending(self) -> bool:
        return bool(self.email_suggestion)
