"""The pages anyone can open without an account: file a complaint, keep the receipt, follow it with the
tracking code, add information, rate the answer; the park's QR code and poster.

Nothing here stores or logs who the visitor is: no IP address, no browser. Rate limits count requests
per client in the cache only, under a hashed key that expires.
"""

from __future__ import annotations

import io
import re

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.decorators import ratelimit

from core.forms import add_validation_error
from core.views import NotFoundWithMessage
from core.workflow import TransitionNotAllowed
from parks.models import Park
from parks.printed import park_by_code

from .. import services
from ..choices import Channel
from ..forms import ComplaintForm, RateForm, SupplementForm, TrackForm
from ..models import Complaint
from ..selectors import complaint_attachments_for, complaint_timeline
from .carried import carry_receipt, receipt_carried, receipt_shown, remember_tracked, tracked_pks

PARK_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,31}")


def too_many_requests(request):
    return render(request, "complaints/public/too_many.html", status=429)


def public_park(code: str) -> Park:
    """The park of a printed address. Unknown, tampered or inactive codes are a 404 with a message."""
    code = code.strip().upper()
    park = park_by_code(code) if PARK_CODE.fullmatch(code) else None
    if park is None or not park.is_active:
        raise NotFoundWithMessage(_("No park takes complaints at this address. Check the QR code or the address."))
    return park


@never_cache
def choose_park(request):
    """/report/ — where someone without the park's QR code starts: every park that takes complaints,
    searchable by name or region, each leading to its complaint form."""
    query = request.GET.get("q", "").strip()[:50]
    parks = Park.objects.filter(is_active=True).only("code", "name", "region", "kind").order_by("region", "name")
    if query:
        parks = parks.filter(Q(name__icontains=query) | Q(region__icontains=query))
    return render(request, "complaints/public/choose_park.html", {"parks": parks, "query": query})


def channel_of(request) -> str:
    """How the complaint came in: the QR code's link, a clerk at the "办不成事" window (commission staff
    typing in what a visitor reports), or online."""
    source = request.GET.get("from")
    if source == "window" and request.user.is_authenticated and request.user.is_commission_staff:
        return Channel.WINDOW
    return Channel.QR if source == "qr" else Channel.ONLINE


def report_url(request, park: Park, *, qr: bool = False) -> str:
    path = reverse("complaints:report", kwargs={"code": park.code}) + ("?from=qr" if qr else "")
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


@method_decorator(sensitive_post_parameters("contact_name", "contact_phone", "enterprise_name"), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class ReportView(View):
    """/report/<park code>/ — the address printed on posters and behind the park's QR code."""

    template_name = "complaints/public/report.html"

    def get(self, request, code):
        park = public_park(code)
        user = None if channel_of(request) == Channel.WINDOW else request.user
        return self.render(request, park, ComplaintForm(user=user))

    @method_decorator(
        ratelimit(key="ip", rate=lambda group, request: settings.COMPLAINT_SUBMIT_RATE, method="POST", block=False)
    )
    def post(self, request, code):
        park = public_park(code)
        if getattr(request, "limited", False):
            return too_many_requests(request)
        form = ComplaintForm(
            request.POST, request.FILES, user=None if channel_of(request) == Channel.WINDOW else request.user
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                submission = services.complaint_submit(
                    park=park,
                    category=data["category"],
                    subject=data["subject"],
                    description=data["description"],
                    demand=data["demand"],
                    is_anonymous=data["is_anonymous"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    enterprise_name=data["enterprise_name"],
                    channel=channel_of(request),
                    files=data["files"],
                    # At the window the person complaining is not the clerk who types it in.
                    user=request.user
                    if request.user.is_authenticated and channel_of(request) != Channel.WINDOW
                    else None,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                response = redirect("complaints:receipt")
                remember_tracked(request, response, submission.complaint)
                carry_receipt(response, submission.complaint, submission.tracking_code)
                return response
        return self.render(request, park, form, status=200)

    def render(self, request, park, form, status=200):
        files_lost = form.is_bound and bool(request.FILES) and not form.is_valid()
        return render(
            request,
            self.template_name,
            {"park": park, "form": form, "files_lost": files_lost, "at_window": channel_of(request) == Channel.WINDOW},
            status=status,
        )


@never_cache
def receipt(request):
    """Shown right after filing: the tracking code, printable, once. The code comes from the receipt
    cookie, which this answer rewrites without it; a reload shows the receipt without the code and says why."""
    pk, code = receipt_carried(request)
    if not pk:
        return redirect("complaints:track")
    complaint = get_object_or_404(Complaint.objects.select_related("park"), pk=pk)
    response = render(request, "complaints/public/receipt.html", {"complaint": complaint, "code": code})
    receipt_shown(response, complaint.pk)
    return response


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
@method_decorator(never_cache, name="dispatch")
class TrackView(View):
    """/track/ — look a complaint up by its tracking code."""

    template_name = "complaints/public/track.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TrackForm()})

    @method_decorator(
        ratelimit(key="ip", rate=lambda group, request: settings.TRACKING_LOOKUP_RATE, method="POST", block=False)
    )
    def post(self, request):
        if getattr(request, "limited", False):
            return too_many_requests(request)
        form = TrackForm(request.POST)
        complaint = services.complaint_find_by_code(form.cleaned_data["code"]) if form.is_valid() else None
        if complaint is None:
            # Malformed, mistyped and never-issued codes get the same answer.
            return render(
                request,
                self.template_name,
                {"form": form, "not_found": True},
                status=404,
            )
        response = redirect("complaints:tracked", pk=complaint.pk)
        remember_tracked(request, response, complaint)
        return response


def tracked_complaint(request, pk: int) -> Complaint:
    """A complaint this visitor opened with its code (or, for enterprise users, their own)."""
    if pk in tracked_pks(request):
        return get_object_or_404(Complaint.objects.select_related("park"), pk=pk)
    if request.user.is_authenticated:
        from accounts.choices import Role

        if request.user.role == Role.ENTERPRISE:
            return get_object_or_404(Complaint.objects.visible_to(request.user).select_related("park"), pk=pk)
    raise Http404


@method_decorator(never_cache, name="dispatch")
class TrackedComplaintView(View):
    """What the complainant sees: status, public steps and replies; add information; rate the answer."""

    template_name = "complaints/public/tracked.html"

    def get(self, request, pk):
        complaint = tracked_complaint(request, pk)
        return self.render(request, complaint)

    def post(self, request, pk):
        complaint = tracked_complaint(request, pk)
        action = request.POST.get("action")
        supplement_form = rate_form = None
        try:
            if action == "supplement":
                supplement_form = SupplementForm(request.POST, request.FILES)
                if supplement_form.is_valid():
                    services.complaint_supplement(
                        complaint=complaint,
                        text=supplement_form.cleaned_data["text"],
                        files=supplement_form.cleaned_data["files"],
                    )
                    messages.success(request, _("Your information has been added."))
                    return redirect("complaints:tracked", pk=pk)
            elif action == "rate":
                rate_form = RateForm(request.POST)
                if rate_form.is_valid():
                    rated = services.complaint_rate(
                        complaint=complaint,
                        rating=rate_form.cleaned_data["rating"],
                        comment=rate_form.cleaned_data["comment"],
                    )
                    messages.success(
                        request,
                        _("Thank you for your rating. %(outcome)s") % {"outcome": services.rating_outcome(rated)},
                    )
                    return redirect("complaints:tracked", pk=pk)
            else:
                raise Http404
        except ValidationError as error:
            add_validation_error(supplement_form or rate_form, error)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            complaint.refresh_from_db()
            return self.render(request, complaint, supplement_form, rate_form, status=409)
        return self.render(request, complaint, supplement_form, rate_form)

    def render(self, request, complaint, supplement_form=None, rate_form=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "complaint": complaint,
                "events": complaint_timeline(complaint=complaint, public_only=True),
                "attachments": list(complaint_attachments_for(complaint=complaint, user=None, as_complainant=True)),
                "supplement_form": supplement_form or SupplementForm(),
                "rate_form": rate_form or RateForm(),
            },
            status=status,
        )


def qr_code(request, code: str, fmt: str):
    """码上监督: the park's QR code, as SVG (for print shops) or PNG (for documents)."""
    if fmt not in ("svg", "png"):
        raise Http404
    park = public_park(code)
    qr = segno.make(report_url(request, park, qr=True), error="m")
    buffer = io.BytesIO()
    # SVG as a document of its own (XML declaration, namespace), not the inline fragment the poster embeds
    qr.save(buffer, kind=fmt, scale=8 if fmt == "svg" else 10, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml" if fmt == "svg" else "image/png")
    response["Content-Disposition"] = f'inline; filename="qr-{park.code}.{fmt}"'
    return response


def poster(request, code: str):
    """A printable A4 poster: the park's name, its QR code, and how reports are protected."""
    park = public_park(code)
    qr = segno.make(report_url(request, park, qr=True), error="m")
    return render(
        request,
        "complaints/public/poster.html",
        {"park": park, "qr_svg": qr.svg_inline(scale=10, border=2), "url": report_url(request, park)},
    )
