from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from registry.privacy import PRIVACY_NOTICE_VERSION


@require_safe
def home(request):
    return render(request, "registry/home.html")


@require_safe
def privacy(request):
    return render(
        request,
        "registry/privacy.html",
        {
            "notice_version": PRIVACY_NOTICE_VERSION,
            "contact_email": settings.CONTACT_EMAIL,
        },
    )
