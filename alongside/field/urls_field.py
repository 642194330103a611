"""The volunteer's field work: /<lang>/field/…"""

from __future__ import annotations

from django.urls import URLPattern, path

from alongside.field.views import volunteer

app_name = "field"

urlpatterns: list[URLPattern] = [
    path("", volunteer.home, name="home"),
    path("mine/", volunteer.my_shifts, name="mine"),
    path("shifts/<int:shift_id>/", volunteer.shift_page, name="shift"),
    path("shifts/<int:shift_id>/sign-up/", volunteer.sign_up, name="sign_up"),
    path("shifts/<int:shift_id>/cancel/", volunteer.cancel, name="cancel"),
    path("shifts/<int:shift_id>/accept/", volunteer.accept_offer, name="accept_offer"),
    path("shifts/<int:shift_id>/decline/", volunteer.decline_offer, name="decline_offer"),
    path("shifts/<int:shift_id>/still-coming/", volunteer.reconfirm, name="reconfirm"),
]
