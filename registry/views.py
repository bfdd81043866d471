import uuid
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from outreach.selectors.profile import profile_invitations_context
from registry.form_cache import shared_html, survey_fields_html
from registry.forms import LinkRequestForm, SurveyForm
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.ratelimit import (
    LINK_EMAILS_PER_ADDRESS,
    LINK_REQUESTS_PER_IP,
    SURVEY_PER_IP,
    client_ip,
    ratelimit_exceeded,
)
from registry.selectors.public import public_figures
from registry.services import registration, withdrawal
from registry.survey import survey_answers_to_json
from registry.tasks import profile_link_send, registration_submit
from registry.tokens import (
    CONFIRM,
    UPDATE,
    WITHDRAW,
    LinkInvalid,
    LinkKind,
    link_token_make,
    member_for_link,
)

SURVEY_FIELDS_TEMPLATE = "registry/includes/survey_fields.html"


@require_safe
def home(request):
    return render(request, "registry/home.html", {"figures": public_figures()})


@require_safe
def privacy(request):
    return render(
        request,
        "registry/privacy.html",
        {
            "notice_version": PRIVACY_NOTICE_VERSION,
            "contact_email": settings.CONTACT_EMAIL,
            "confirm_days": CONFIRM.max_age.days,
        },
    )


@require_safe
def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return redirect(static("img/favicon.png"), permanent=True)


def _too_many_requests(request):
    return render(request, "429.html", status=429)


def _link_invalid(request, *, kind: LinkKind):
    return render(request, "registry/link_invalid.html", {"kind": kind.name}, status=400)


# Stands for the visitor's CSRF token in the shared survey page.
CSRF_TOKEN_PLACEHOLDER = "csrf-token-placeholder-3f9c0d5e"


def _empty_survey(request) -> HttpResponse:
    """The empty survey: the same for every visitor but for the CSRF token.

    Its fields come rendered from the cache (survey_fields_html). For an
    anonymous visitor with no message waiting, the most common request by far,
    so does the whole page: only the token is put in per request. A signed-in
    user's page differs (the staff link in the menu) and is rendered around
    the shared fields.
    """

    def fields():
        return survey_fields_html(
            render=lambda: render_to_string(SURVEY_FIELDS_TEMPLATE, {"form": SurveyForm()})
        )

    if request.user.is_authenticated or get_messages(request):
        return render(request, "registry/register.html", {"survey_fields": fields()})
    page = shared_html(
        "survey-page-anonymous",
        render=lambda: render_to_string(
            "registry/register.html",
            {"survey_fields": fields(), "csrf_token": CSRF_TOKEN_PLACEHOLDER},
            request=request,
        ),
    )
    return HttpResponse(page.replace(CSRF_TOKEN_PLACEHOLDER, get_token(request)))


@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    if request.method != "POST":
        return _empty_survey(request)
    form = SurveyForm(request.POST or None)
    if form.is_bound and (form.is_spam() or form.is_valid()):
        if ratelimit_exceeded(rule=SURVEY_PER_IP, key=client_ip(request)):
            return _too_many_requests(request)
        # A filled honeypot is dropped without a word: the bot sees success.
        # Beyond the per-address limit the e-mail, and so the registration,
        # is dropped the same way: the visitor must not learn that the
        # address is known, and a first registration never reaches the limit.
        # Whether the address is known decides what the task stores and
        # sends, so it runs after the response: every answer takes as long.
        if not form.is_spam() and not ratelimit_exceeded(
            rule=LINK_EMAILS_PER_ADDRESS, key=form.cleaned_data["email"]
        ):
            registration_submit.enqueue(
                answers=survey_answers_to_json(form.survey_data()),
                base_url=request.build_absolute_uri("/"),
                submission=str(uuid.uuid4()),
            )
        return redirect("registry:check_inbox")
    return render(request, "registry/register.html", {"form": form})


def head_does_nothing(view):
    """Answer HEAD with an empty 200, without running a view whose GET acts."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "HEAD":
            return HttpResponse()
        return view(request, *args, **kwargs)

    return wrapped


# Following the link is the confirmation, but a HEAD request (a link checker,
# a mail scanner) must not confirm anything.
@never_cache
@require_http_methods(["GET", "HEAD"])
@head_does_nothing
def confirm(request, token):
    try:
        registration.member_confirm_email(token=token)
    except LinkInvalid:
        return _link_invalid(request, kind=CONFIRM)
    return redirect("registry:confirmed")


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return redirect("registry:profile_link_sent")
        if ratelimit_exceeded(
            rule=LINK_REQUESTS_PER_IP, key=client_ip(request)
        ) or ratelimit_exceeded(rule=LINK_EMAILS_PER_ADDRESS, key=form.cleaned_data["email"]):
            return _too_many_requests(request)
        # After the response, as for the survey: known and unknown addresses
        # must take the same time.
        profile_link_send.enqueue(
            email=form.cleaned_data["email"], base_url=request.build_absolute_uri("/")
        )
        return redirect("registry:profile_link_sent")
    return render(request, "registry/profile_request.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request, token):
    member = member_for_link(token=token, kind=UPDATE)
    if member is None:
        return _link_invalid(request, kind=UPDATE)
    form = SurveyForm(request.POST or None, instance=member, for_update=True)
    if request.method == "POST" and form.is_valid():
        try:
            registration.member_update_profile(token=token, data=form.survey_data())
        except LinkInvalid:
            return _link_invalid(request, kind=UPDATE)
        return redirect("registry:profile_saved")
    withdraw_token = link_token_make(member=member, kind=WITHDRAW)
    return render(
        request,
        "registry/profile_edit.html",
        {
            "form": form,
            "withdraw_url": reverse("registry:profile_withdraw", args=[withdraw_token]),
            **profile_invitations_context(member=member, token=token),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def profile_withdraw(request, token):
    if member_for_link(token=token, kind=WITHDRAW) is None:
        return _link_invalid(request, kind=WITHDRAW)
    if request.method == "POST":
        try:
            withdrawal.member_withdraw(token=token)
        except LinkInvalid:
            return _link_invalid(request, kind=WITHDRAW)
        return redirect("registry:withdrawn")
    return render(request, "registry/withdraw_confirm.html")
