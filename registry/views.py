from django.conf import settings
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from registry.privacy import PRIVACY_NOTICE_VERSION
from registry.selectors.public import public_figures


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
        },
    )


@require_safe
def favicon(request):
    # Browsers ask for /favicon.ico on every page, the admin's included.
    return redirect(static("img/favicon.png"), permanent=True)
