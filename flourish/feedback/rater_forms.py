"""The rater's page of the questionnaire: one process's items in the 'other' wording,
each with the 5-point scale and "not able to observe", plus an optional comment."""

from django import forms

from flourish.selfassess.forms import ProcessAnswersForm

COMMENT_MAX = 2000


class RaterPageForm(ProcessAnswersForm):
    def __init__(self, *args, process: dict, scale: dict, **kwargs):
        super().__init__(*args, process=process, scale=scale, importance_scale=None, wording="other", **kwargs)
        self.not_observed = scale["not_observed"]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = (
                f"Choose one of the answers given for “{field.label}”"
            )
        self.fields["comment"] = forms.CharField(
            label=f"Comments on “{process['name']}” (optional)",
            required=False,
            max_length=COMMENT_MAX,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": f"Comments must be {COMMENT_MAX} characters or fewer"},
        )

    def require_all(self) -> bool:
        """Every item needs an answer (a point on the scale or "not able to observe");
        the comment stays optional."""
        for field in self.item_fields():
            if not self.cleaned_data.get(field.name):
                self.add_error(
                    field.name,
                    f"Choose an answer for “{field.label}”, or “{self.not_observed.lower()}”",
                )
        return not self.errors

    def comment(self) -> str:
        return self.cleaned_data.get("comment") or ""

    @staticmethod
    def initial_for(rater_answers, process: dict) -> dict:
        if rater_answers is None:
            return {}
        initial = ProcessAnswersForm.initial_from(rater_answers.answers, {}, process)
        if process["id"] in rater_answers.comments:
            initial["comment"] = rater_answers.comments[process["id"]]
        return initial


class SubmitForm(forms.Form):
    """Sending the answers; a line manager (where the organisation shows line managers
    apart) also chooses here whether their ratings may be shown on their own."""

    line_manager_consented = forms.BooleanField(
        required=False,
        label="Yes, my ratings may be shown separately as the line manager’s",
        help_text="If you leave this unticked, your answers are pooled with everyone else’s, like any "
                  "other rater’s. If you tick it, the leader may see your ratings on their own, and "
                  "so know they are yours.",
    )

    def __init__(self, *args, ask_line_manager: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_line_manager:
            del self.fields["line_manager_consented"]

    def consented(self) -> bool:
        return bool(self.cleaned_data.get("line_manager_consented"))
