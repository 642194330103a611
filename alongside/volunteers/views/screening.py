"""Screening one application (the group's core members), and the referee's one-time form
(anyone holding the link)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from alongside.lib import audit
from alongside.lib.access import core_only, public
from alongside.movement.models import Group
from alongside.volunteers.access import get_application_for_group
from alongside.volunteers.actions import screening as actions
from alongside.volunteers.actions.stages import ALLOWED, PrinciplesNotAgreed, StageError
from alongside.volunteers.forms.board import FILTER_STAGES
from alongside.volunteers.forms.screening import (
    AssignStepForm,
    DeclineForm,
    InterviewForm,
    NoteForm,
    OutcomeForm,
    ReferenceAnswerForm,
)
from alongside.volunteers.models import Application, Stage
from alongside.volunteers.views import GET_POST, render_in_group, signed_in_user

# The stages at which accepting means "on to training" (from `ready` it means "train again").
DECIDING_STAGES = (Stage.RECEIVED, Stage.INTERVIEW, Stage.REFERENCES)


def _forms(group: Group, application: Application, data: Any, doing: str) -> dict[str, Any]:
    """The page's forms; only the one that was submitted is bound to the posted data."""

    def posted(name: str) -> Any:
        return data if doing == name else None

    return {
        "assign": AssignStepForm(
            posted("assign"),
            group=group,
            prefix="assign",
            initial={"owner": application.owner_id, "due_on": application.step_due_on},
        ),
        "interview": InterviewForm(
            posted("interview"), prefix="interview", initial={"at": application.interview_at}
        ),
        "outcome": OutcomeForm(posted("outcome"), prefix="outcome"),
        "decline": DeclineForm(posted("decline"), prefix="decline"),
        "note": NoteForm(posted("note"), prefix="note"),
    }


@core_only
@GET_POST
def application(request: HttpRequest, group: Group, application_id: int) -> HttpResponse:
    found = get_application_for_group(group, application_id)
    doing = request.POST.get("do", "") if request.method == "POST" else ""
    page_forms = _forms(group, found, request.POST if doing else None, doing)
    if doing:
        done = _act(request, found, doing, page_forms.get(doing))
        if done:
            return redirect("pipeline:application", group_slug=group.slug, application_id=found.pk)
    return _show(request, group, found, page_forms)


def _act(
    request: HttpRequest, application: Application, doing: str, form: forms.Form | None
) -> bool:
    """Carry out what was asked; False when a form needs correcting (the page shows it)."""
    actor = signed_in_user(request)
    if form is not None and not form.is_valid():
        messages.error(
            request, _("Please correct what is marked below; nothing you typed is lost.")
        )
        return False
    values = form.cleaned_data if form is not None else {}
    try:
        if doing == "assign":
            actions.assign_step(
                actor=actor,
                application=application,
                owner=values["owner"],
                due_on=values["due_on"],
                request=request,
            )
            messages.success(request, _("The step's owner and due date are saved."))
        elif doing == "interview":
            actions.schedule_interview(
                actor=actor, application=application, at=values["at"], request=request
            )
            messages.success(request, _("The interview is scheduled."))
        elif doing == "outcome":
            actions.record_interview_outcome(
                actor=actor, application=application, outcome=values["outcome"], request=request
            )
            messages.success(request, _("The outcome of the interview is saved."))
        elif doing == "accept":
            actions.accept_application(actor=actor, application=application, request=request)
            messages.success(request, _("Accepted: the applicant goes on to training."))
        elif doing == "decline":
            actions.decline_application(
                actor=actor, application=application, reason=values["reason"], request=request
            )
            messages.success(request, _("The application is declined."))
        elif doing == "move":
            to_stage = request.POST.get("to_stage", "")
            if to_stage not in Stage.values or to_stage == Stage.DECLINED:
                raise StageError(to_stage)
            actions.move_application(
                actor=actor, application=application, to_stage=to_stage, request=request
            )
            messages.success(
                request,
                _("The application is now at: %(stage)s.") % {"stage": Stage(to_stage).label},
            )
        elif doing == "note":
            actions.add_screening_note(
                actor=actor, application=application, body=values["body"], request=request
            )
            messages.success(request, _("The note is saved."))
        elif doing == "references":
            sent = actions.request_references(actor=actor, application=application, request=request)
            if sent:
                messages.success(
                    request, _("Reference requests sent: %(count)d.") % {"count": sent}
                )
            elif application.references.filter(answered_at__isnull=True).exists():
                messages.info(
                    request,
                    _("The references were asked a few minutes ago; their links still work."),
                )
            else:
                messages.info(request, _("Every reference has already answered."))
        else:
            messages.error(request, _("That is not something this page can do."))
    except PrinciplesNotAgreed as refused:
        messages.error(
            request,
            _(
                "The applicant must first agree to version %(number)s of the principles; "
                "their page asks them to."
            )
            % {"number": refused.version.number},
        )
        # Show the page again rather than redirect, so that a typed text (a reason) is kept.
        return form is None
    except StageError:
        application.refresh_from_db(fields=["stage"])
        messages.error(
            request,
            _("That step is not possible from the application's stage now: %(stage)s.")
            % {"stage": application.get_stage_display()},
        )
        return form is None
    return True


def _moves(application: Application) -> list[Stage]:
    following = ALLOWED[application.stage]
    hidden = {Stage.DECLINED}
    if application.stage in DECIDING_STAGES:
        hidden.add(Stage.TRAINING)  # offered as "Accept"
    return [Stage(stage) for stage in FILTER_STAGES if stage in following and stage not in hidden]


def _show(
    request: HttpRequest, group: Group, application: Application, page_forms: dict[str, Any]
) -> HttpResponse:
    actor = signed_in_user(request)
    notes = list(application.notes.select_related("author").order_by("created_at", "pk"))
    references = list(application.references.order_by("position"))
    history = list(application.stage_changes.select_related("actor").order_by("changed_at", "pk"))
    # The page decrypts the application and its references: one entry for them. Each note
    # shown gets an entry of its own (target: the note), so that "who read this note?" is one
    # lookup in the log; an application has a handful of notes, so this stays cheap.
    audit.record(
        actor=actor,
        action="read",
        target=application,
        request=request,
        detail={"references": len(references), "notes": len(notes)},
    )
    for note in notes:
        audit.record(actor=actor, action="read", target=note, request=request)
    following = ALLOWED[application.stage]
    return render_in_group(
        request,
        "screening_application",
        group,
        application=application,
        notes=notes,
        references=references,
        history=history,
        forms=page_forms,
        moves=_moves(application),
        can_accept=Stage.TRAINING in following and application.stage in DECIDING_STAGES,
        can_decline=Stage.DECLINED in following,
        unanswered=any(r.answered_at is None for r in references),
    )


# --- the referee's form ----------------------------------------------------------------------


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteers/screening_reference_gone.html", status=410)


@public
@never_cache
@GET_POST
def reference(request: HttpRequest, token: str) -> HttpResponse:
    """A referee's one-time form: no account, the link is the key. It works until it is used
    or expires; after that it answers "gone" alike for every reason."""
    response = _reference_page(request, token)
    # The address is the key: no following page may receive it as the referrer.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _reference_page(request: HttpRequest, token: str) -> HttpResponse:
    found = actions.open_reference(token)
    if found is None:
        return _gone(request)
    form = ReferenceAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answered = actions.answer_reference(token=token, request=request, **form.cleaned_data)
        if answered is None:
            return _gone(request)
        return render(request, "volunteers/screening_reference_thanks.html")
    applicant = found.application.user
    return render(
        request,
        "volunteers/screening_reference_form.html",
        {
            "form": form,
            "applicant_first_name": applicant.first_name,
            "group": found.application.group,
        },
    )
