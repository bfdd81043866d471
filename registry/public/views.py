"""The public directory of members, its contact form, and the contact page."""

from functools import wraps

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from registry.public.forms import ContactForm, DirectoryContactForm, DirectoryFilterForm
from registry.ratelimit import (
    CONTACT_PER_IP,
    DIRECTORY_PER_MEMBER,
    client_ip,
    ratelimit_exceeded,
)
from registry.selectors.directory import directory_member_for_contact, directory_page
from registry.services.contact import contact_message_create, member_leave_directory
from registry.tasks import directory_message_notify
from registry.tokens import UPDATE, member_for_link

TOO_MANY = 429


def directory_robots(view):
    """Tell search engines not to index the directory's pages unless DIRECTORY_INDEXABLE."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.directory_indexable = settings.DIRECTORY_INDEXABLE
        response = view(request, *args, **kwargs)
        if not settings.DIRECTORY_INDEXABLE:
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _rate_limited(request, template: str, context: dict):
    # The form comes back with everything typed, and the reason above it.
    context["rate_limited"] = True
    return render(request, template, context, status=TOO_MANY)


@require_safe
@directory_robots
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters()
    data = directory_page(filters=filters, page_number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/directory/index.html",
        {
            "form": form,
            "filters": filters,
            "directory": data,
            "query": query.urlencode(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@directory_robots
def directory_contact(request, key):
    member = directory_member_for_contact(key=key)
    if request.method != "POST":
        if member is None:
            raise Http404
        return render(
            request,
            "registry/directory/contact.html",
            {"form": DirectoryContactForm(), "member": member},
        )
    form = DirectoryContactForm(request.POST)
    if not (form.is_spam() or form.is_valid()):
        if member is None:
            raise Http404
        return render(request, "registry/directory/contact.html", {"form": form, "member": member})
    if ratelimit_exceeded(rule=CONTACT_PER_IP, key=client_ip(request)):
        return _rate_limited(
            request, "registry/directory/contact.html", {"form": form, "member": member}
        )
    # Whatever happens next (a bot, a member who left the directory, one who
    # had enough messages today), the visitor sees the same page and the
    # member's address never appears.
    if (
        member is not None
        and not form.is_spam()
        and not ratelimit_exceeded(rule=DIRECTORY_PER_MEMBER, key=f"member:{member.pk}")
    ):
        arguments = {
            "member_id": member.pk,
            "sender_name": form.cleaned_data["name"],
            "sender_email": form.cleaned_data["email"],
            "message": form.cleaned_data["message"],
            "base_url": request.build_absolute_uri("/"),
        }
        transaction.on_commit(lambda: directory_message_notify.enqueue(**arguments))
    return redirect("registry:directory_contact_sent")


@require_safe
@directory_robots
def directory_contact_sent(request):
    return render(request, "registry/directory/contact_sent.html")


@never_cache
@require_POST
def directory_leave(request, token):
    member = member_for_link(token=token, kind=UPDATE)
    if member is None:
        return render(request, "registry/link_invalid.html", {"kind": UPDATE.name}, status=400)
    member_leave_directory(member=member)
    return redirect("registry:directory_left")


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    form = ContactForm(request.POST or None)
    if request.method != "POST" or not (form.is_spam() or form.is_valid()):
        return render(request, "registry/contact.html", {"form": form})
    if ratelimit_exceeded(rule=CONTACT_PER_IP, key=client_ip(request)):
        return _rate_limited(request, "registry/contact.html", {"form": form})
    # A filled honeypot is dropped without a word: the bot sees success.
    if not form.is_spam():
        contact_message_create(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            subject=form.cleaned_data["subject"],
            message=form.cleaned_data["message"],
        )
    return redirect("registry:contact_sent")
