import uuid

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from outreach.selectors.profile import profile_invitations_context
from registry.form_cache import shared_html, survey_fields_html
from registry.forms import SurveyForm
from registry.link_forms import LinkRequestForm
from registry.models import Member
from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.ratelimit import (
    LINK_EMAILS_PER_ADDRESS,
    LINK_REQUESTS_PER_IP,
    SURVEY_PER_IP,
    RateLimit,
    client_ip,
    ratelimit_exceeded,
    ratelimit_retry_after,
)
from registry.selectors.own_data import member_own_data
from registry.selectors.public import public_figures
from registry.services import freshness, registration, withdrawal
from registry.survey import survey_answers_to_json
from registry.tasks import profile_link_send, registration_submit
from registry.tokens import (
    CONFIRM,
    STILL_CURRENT,
    UPDATE,
    WITHDRAW,
    LinkInvalid,
    LinkKind,
    link_lifetime_text,
    link_signature_valid,
    link_token_make,
    member_for_link,
    pending_for_link,
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
            "controller_name": settings.PRIVACY_CONTROLLER_NAME,
            "controller_address": settings.PRIVACY_CONTROLLER_ADDRESS,
            "privacy_contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "authority": settings.PRIVACY_SUPERVISORY_AUTHORITY,
            "authority_url": settings.PRIVACY_SUPERVISORY_AUTHORITY_URL,
            "unconfirmed_days": settings.RETENTION_UNCONFIRMED_DAYS,
            "rejected_days": settings.RETENTION_REJECTED_DAYS,
            "freshness_days": settings.FRESHNESS_DAYS,
        },
    )


@require_safe
def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return redirect(static("img/favicon.png"), permanent=True)


def _too_many_requests(request, template: str, context: dict, *, rule: RateLimit):
    """The form again, as typed, with when to try again (429 and Retry-After)."""
    seconds = ratelimit_retry_after(rule=rule)
    context = {**context, "retry_minutes": -(-seconds // 60)}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _link_invalid(request, *, kind: LinkKind):
    return render(
        request,
        "registry/link_invalid.html",
        {"kind": kind.name, "lifetime": link_lifetime_text(kind=kind)},
        status=400,
    )


@require_safe
def profile_link_sent(request):
    return render(
        request, "registry/profile_link_sent.html", {"lifetime": link_lifetime_text(kind=UPDATE)}
    )


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
            {
                "survey_fields": fields(),
                "csrf_token": CSRF_TOKEN_PLACEHOLDER,
                "language_switch_next": request.path,
            },
            request=request,
        ),
    )
    return HttpResponse(page.replace(CSRF_TOKEN_PLACEHOLDER, get_token(request)))


@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    if request.method != "POST":
        return _empty_survey(request)
    form = SurveyForm(request.POST or None)
    # A valid survey whose address looks mistyped comes back once with a hint.
    if form.is_bound and (form.is_spam() or (form.is_valid() and not form.email_check_pending())):
        if ratelimit_exceeded(rule=SURVEY_PER_IP, key=client_ip(request)):
            return _too_many_requests(
                request, "registry/register.html", {"form": form}, rule=SURVEY_PER_IP
            )
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


def _confirmation_pending(token: str) -> bool:
    if pending_for_link(token=token) is not None:
        return True
    member = member_for_link(token=token, kind=CONFIRM)
    return member is not None and member.status == Member.Status.UNCONFIRMED


# Mail scanners and link checkers open every link in an e-mail, and people
# double-click: opening the link only shows a button, and the confirmation is
# the POST that button sends. A genuine link opened again after it was used
# says "already confirmed" (200), not "this link no longer works".
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    if not link_signature_valid(token=token, kind=CONFIRM):
        return _link_invalid(request, kind=CONFIRM)
    if request.method == "POST":
        try:
            registration.member_confirm_email(token=token)
        except LinkInvalid:
            return render(request, "registry/confirm_used.html")
        return redirect("registry:confirmed")
    if not _confirmation_pending(token):
        return render(request, "registry/confirm_used.html")
    return render(request, "registry/confirm_prompt.html")


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not form.email_check_pending():
        if form.is_spam():
            return redirect("registry:profile_link_sent")
        for rule, key in [
            (LINK_REQUESTS_PER_IP, client_ip(request)),
            (LINK_EMAILS_PER_ADDRESS, form.cleaned_data["email"]),
        ]:
            if ratelimit_exceeded(rule=rule, key=key):
                return _too_many_requests(
                    request, "registry/profile_request.html", {"form": form}, rule=rule
                )
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
    # After a material change of the privacy notice the member accepts the
    # new version before saving: its consent box starts unticked (and is
    # required), so the profile cannot be saved without ticking it.
    accept_notice = member.privacy_notice_version != PRIVACY_NOTICE_VERSION
    initial = {"consent_processing": False} if accept_notice else None
    form = SurveyForm(request.POST or None, instance=member, for_update=True, initial=initial)
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
            "download_url": reverse("registry:profile_download", args=[token]),
            "accept_notice": accept_notice,
            "notice_version": PRIVACY_NOTICE_VERSION,
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


@never_cache
@require_safe
def profile_download(request, token):
    """Everything the registry holds about the member, as a JSON file (right of access)."""
    member = member_for_link(token=token, kind=UPDATE)
    if member is None:
        return _link_invalid(request, kind=UPDATE)
    response = JsonResponse(
        member_own_data(member=member), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="dorin-my-data.json"'
    return response


# The link in the freshness prompt lands here; only the POST from this page
# records the answer, since mail scanners open every link in an e-mail.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def still_current(request, token):
    if member_for_link(token=token, kind=STILL_CURRENT) is None:
        return _link_invalid(request, kind=STILL_CURRENT)
    if request.method == "POST":
        try:
            freshness.member_confirm_still_current(token=token)
        except LinkInvalid:
            return _link_invalid(request, kind=STILL_CURRENT)
        return render(request, "registry/still_current.html", {"done": True})
    return render(request, "registry/still_current.html", {"done": False})
