"""The privacy notice shown at /privacy/ and accepted in the survey."""

PRIVACY_NOTICE_VERSION = "2026-11-b"
"""Identifier of the current privacy notice text.

Bump it (year-month, with a suffix for a second change in one month) whenever
the text of templates/registry/privacy.html changes in substance. Every consent
record stores the version the member was shown, so the ministry can tell which
text each person agreed to.
"""

# Version 2026-11-b names the controller, the data protection contact, the
# retention periods, the member's rights and the supervisory authority: a
# material change, so members accept it at their next visit to the profile
# page (registry.views.profile_edit).
