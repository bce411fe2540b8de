"""The checklist returns: their list, and a return's page where the park's officers fill in and submit
it and the park's inspectors pass it or send it back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.columns import ColumnsTableMixin
from core.exports import Sheet, exportable
from core.uploads import attachment_response
from core.views import FilteredListView, ScopedQuerysetMixin
from core.workflow import TransitionNotAllowed
from inspections.views import NotEnterpriseMixin

from . import services
from .columns import RETURNS
from .filters import ReturnFilter
from .forms import AnswerForm, SendBackForm
from .models import AnswerAttachment, ParkReturn, ReturnAnswer
from .resources import ReturnResource
from .workflow import return_steps_for


@exportable("campaign-returns")
class ReturnListView(NotEnterpriseMixin, ColumnsTableMixin, FilteredListView):
    model = ParkReturn
    columns = RETURNS
    filterset_class = ReturnFilter
    export_sheets = [Sheet(RETURNS.title, ReturnResource, lambda qs: qs.select_related("campaign", "park"))]
    select_related = ("campaign", "park")
    template_name = "campaigns/return_list.html"


def answer_forms(park_return: ParkReturn, data=None, files=None) -> list[AnswerForm]:
    answers = park_return.answers.select_related("item").prefetch_related("attachments")
    forms = []
    for answer in answers:
        initial = {"result": answer.result, "note": answer.note}
        form = AnswerForm(data, files, item=answer.item, prefix=f"a{answer.pk}", initial=initial)
        form.answer = answer
        forms.append(form)
    return forms


class ReturnDetailView(NotEnterpriseMixin, ScopedQuerysetMixin, View):
    model = ParkReturn

    def get_object(self, pk):
        return get_object_or_404(
            self.get_queryset().select_related("campaign", "park", "submitted_by", "reviewed_by"), pk=pk
        )

    def get(self, request, pk, forms=None, send_back_form=None, status=200):
        park_return = self.get_object(pk)
        steps = return_steps_for(park_return, request.user)
        return render(
            request,
            "campaigns/return_detail.html",
            {
                "park_return": park_return,
                "campaign": park_return.campaign,
                "steps": steps,
                "editing": "submit" in steps,
                "forms": forms or answer_forms(park_return),
                "send_back_form": send_back_form or SendBackForm(),
                "history": park_return.history.select_related("history_user").order_by("-history_date")[:20],
            },
            status=status,
        )

    def post(self, request, pk):
        park_return = self.get_object(pk)
        step = request.POST.get("step", "")
        if step not in ("fill", "submit", "pass", "send_back"):
            raise Http404
        forms = answer_forms(park_return, request.POST, request.FILES) if step in ("fill", "submit") else None
        send_back = SendBackForm(request.POST) if step == "send_back" else None
        if (forms and not all(form.is_valid() for form in forms)) or (send_back and not send_back.is_valid()):
            return self.get(request, pk, forms=forms, send_back_form=send_back)
        try:
            self.take(step, park_return, forms, send_back)
        except TransitionNotAllowed as error:
            messages.error(request, error.message)
            return self.get(request, pk, status=409)
        except PermissionDenied:
            raise
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.get(request, pk, forms=forms, send_back_form=send_back)
        messages.success(request, _("Done."))
        return redirect(park_return)

    def take(self, step, park_return, forms, send_back) -> None:
        user = self.request.user
        if step in ("fill", "submit"):
            answers = {form.answer.pk: form.cleaned_data for form in forms}
            call = services.return_fill if step == "fill" else services.return_submit
            call(actor=user, park_return=park_return, answers=answers)
        elif step == "pass":
            services.return_pass(actor=user, park_return=park_return)
        else:
            services.return_send_back(actor=user, park_return=park_return, reason=send_back.cleaned_data["reason"])


def answer_attachment(request, pk: int):
    if not request.user.is_authenticated:
        raise Http404
    item = get_object_or_404(AnswerAttachment.objects.select_related("answer"), pk=pk)
    if not ReturnAnswer.objects.visible_to(request.user).filter(pk=item.answer_id).exists():
        raise Http404
    return attachment_response(item)
