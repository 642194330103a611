"""Forms of the pipeline board: its filters and the group's campaign periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from alongside.movement.forms import SideBySideForm
from alongside.movement.models import Group
from alongside.volunteers.actions.campaigns import CAMPAIGN_FIELDS
from alongside.volunteers.models import BOARD_STAGES, CampaignPeriod, Stage

# The board's stages, and the closed ones a core member can ask to see.
FILTER_STAGES = (*BOARD_STAGES, Stage.WITHDRAWN, Stage.DECLINED)


def _language_name(code: str) -> str:
    info = LANG_INFO.get(code, {})
    return str(info.get("name_local") or info.get("name") or code)


class BoardFilterForm(forms.Form):
    """What the board shows: a stage, a presence window, a language, a campaign period."""

    stage = forms.ChoiceField(label=_("Stage"), required=False)
    present_from = forms.DateField(
        label=_("In the field between"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    present_to = forms.DateField(
        label=_("and"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign period"),
        queryset=CampaignPeriod.objects.none(),
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args: Any, group: Group, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage_field = self.fields["stage"]
        assert isinstance(stage_field, forms.ChoiceField)
        stage_field.choices = [("", _("All open and returned"))] + [
            (stage.value, stage.label) for stage in FILTER_STAGES
        ]
        codes = sorted({*(group.languages or []), "en", "ar"})
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [("", _("Any"))] + [(c, _language_name(c)) for c in codes]
        campaign_field = self.fields["campaign"]
        assert isinstance(campaign_field, forms.ModelChoiceField)
        campaign_field.queryset = CampaignPeriod.objects.filter(group=group)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("present_from"), cleaned.get("present_to")
        if start and end and end < start:
            self.add_error("present_to", _("The end of the window cannot be before its start."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The filters that are set and valid (an invalid one is shown with its error and
        left out, so the board still answers)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}


class CampaignPeriodForm(SideBySideForm):
    class Meta:
        model = CampaignPeriod
        fields = list(CAMPAIGN_FIELDS)
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_volunteers"].widget.attrs["min"] = "1"

    def clean_target_volunteers(self) -> int:
        target = int(self.cleaned_data["target_volunteers"])
        if target < 1:
            raise forms.ValidationError(_("The target is at least one volunteer."))
        return target

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if isinstance(starts, dt.date) and isinstance(ends, dt.date) and ends < starts:
            self.add_error("ends_on", _("The period cannot end before it starts."))
        return cleaned

    def _post_clean(self) -> None:  # type: ignore[misc]  # ModelForm's hook, absent in stubs
        # The database's check constraint would repeat the error above as a form-wide one.
        if "ends_on" in self.errors:
            return
        super()._post_clean()  # type: ignore[misc]
