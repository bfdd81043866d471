"""The 400 and 500 pages, rendered without the request.

Django's own handlers run the CSRF check first (requires_csrf_token), and that
check reads request.POST. When what failed was reading the form body itself,
they fail the same way again and the visitor gets a bare server error. These
read nothing from the request.
"""

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.template.loader import render_to_string


def bad_request(request, exception=None):
    return HttpResponseBadRequest(render_to_string("400.html"))


def server_error(request):
    return HttpResponseServerError(render_to_string("500.html"))
