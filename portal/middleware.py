"""Response headers that Django 5.2 does not set by itself, and forms it cannot read."""

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from portal.errors import bad_request

FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# One page under each of these URL prefixes gives the prefix: every page below
# it shows members' personal data to staff.
PRIVATE_PREFIX_PAGES = ("admin:index", "registry:staff_search")


class ContentSecurityPolicyMiddleware:
    """Add the site's Content-Security-Policy to every response.

    The policy allows only the portal's own files and no inline script, so a
    stored script that slipped through escaping still would not run.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class UnreadableFormMiddleware:
    """Answer a form POST that cannot be read with the portal's 400 page.

    Browsers send forms in UTF-8 (the pages say so); any other declared
    charset, a bogus one included, is refused rather than guessed at. Reading
    the body here, once, means a body Django cannot parse (a broken multipart,
    too many fields) is answered 400 before the CSRF check, a view or an error
    handler tries to read it again and fails with a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            if request.content_params.get("charset", "utf-8").lower() != "utf-8":
                return bad_request(request)
            try:
                request.POST  # noqa: B018 (parsed here, kept on the request)
            except (BadRequest, SuspiciousOperation, MultiPartParserError, UnreadablePostError):
                return bad_request(request)
        return self.get_response(request)


class PrivatePagesNotCachedMiddleware:
    """Staff and admin pages carry Cache-Control: no-store, private.

    They show personal data, which no shared cache or browser history should
    keep. A stricter header a view already set is kept: the directives are
    added to it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(_first_segment(reverse(name)) for name in PRIVATE_PREFIX_PAGES)

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _first_segment(url: str) -> str:
    """'/admin/' for '/admin/', '/staff/' for '/staff/search/' (after the script prefix)."""
    script_prefix = get_script_prefix()
    return script_prefix + url.removeprefix(script_prefix).split("/", 1)[0] + "/"


class AdminInEnglishMiddleware:
    """The Django admin in the site's default language, whatever the visitor's.

    Django's own Urdu catalogues cover only part of the admin and of the
    sign-in pages, so an admin in Urdu would mix the two languages on every
    screen; staff read it in English. Every other page, the staff home,
    search, dashboard and opportunities included, follows the language switch.
    Runs after LocaleMiddleware, which chose the visitor's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(reverse("admin:index")):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
