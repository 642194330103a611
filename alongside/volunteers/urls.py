"""A person's own side of the pipeline: applying, agreeing to the principles, their page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from alongside.volunteers.views import applicant
from alongside.volunteers.views import safe_space as safe_space_views
from alongside.volunteers.views import screening as screening_views
from alongside.volunteers.views import training as training_views

app_name = "volunteers"

urlpatterns: list[URLPattern | URLResolver] = [
    # The applicant's and volunteer's own screens (views/applicant.py).
    path("", applicant.home, name="home"),
    path("apply/", applicant.apply, name="apply"),
    path("principles/", applicant.principles, name="principles"),
    path("stay-in-touch/", applicant.stay_in_touch, name="stay_in_touch"),
    path("presence/", applicant.presence, name="presence"),
    path("withdraw/", applicant.withdraw, name="withdraw"),
    path("report-back/", applicant.report_back, name="report_back"),
    path("export.json", applicant.export, name="export"),
    path("delete/", applicant.request_deletion, name="request_deletion"),
    # Trainings: registering and cancelling (views/training.py).
    path("trainings/", training_views.my_trainings, name="trainings"),
    path(
        "trainings/<int:training_id>/register/",
        training_views.register,
        name="training_register",
    ),
    path("trainings/<int:training_id>/cancel/", training_views.cancel, name="training_cancel"),
    # Raising a safe-space concern with one's group (views/safe_space.py).
    path("safe-space/", safe_space_views.raise_concern, name="safespace"),
    # A referee's one-time form, no account needed (views/screening.py).
    path("reference/<str:token>/", screening_views.reference, name="reference"),
]
