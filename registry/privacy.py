"""The privacy notice shown at /privacy/ and accepted in the survey."""

PRIVACY_NOTICE_VERSION = "2026-11"
"""Identifier of the current privacy notice text.

Bump it (year-month, with a suffix for a second change in one month) whenever
the text of templates/registry/privacy.html changes in substance. Every consent
record stores the version the member was shown, so the ministry can tell which
text each person agreed to.
"""
