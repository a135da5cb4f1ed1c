from django import forms

from flourish.core.forms import OrganisationFrameworkForm

NOT_OBSERVED = "na"


class ProcessAnswersForm(forms.Form):
    """One process's items (5-point scale plus "not able to observe") and, for the leader,
    how important the process is to their role. Fields are optional so that "save and come
    back later" can keep a half-answered page; `require_all()` is used to move on."""

    def __init__(self, *args, process: dict, scale: dict, importance_scale: dict | None,
                 wording: str = "self", **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        choices = [(str(p["value"]), f"{p['value']} – {p['label']}") for p in scale["points"]]
        choices.append((NOT_OBSERVED, scale["not_observed"]))
        for item in process["items"]:
            self.fields[f"item-{item['id']}"] = forms.ChoiceField(
                label=item[wording], choices=choices, required=False, widget=forms.RadioSelect
            )
        if importance_scale:
            self.fields["importance"] = forms.ChoiceField(
                label=f"How important is “{process['name']}” to your role?",
                choices=[(str(p["value"]), f"{p['value']} – {p['label']}") for p in importance_scale["points"]],
                required=False,
                widget=forms.RadioSelect,
            )

    def item_fields(self):
        return [self[name] for name in self.fields if name.startswith("item-")]

    def require_all(self) -> bool:
        for name, field in self.fields.items():
            if not self.cleaned_data.get(name):
                if name == "importance":
                    self.add_error(name, "Choose how important this process is to your role")
                else:
                    self.add_error(name, f"Choose an answer for “{field.label}”, or “not able to observe”")
        return not self.errors

    def answers(self) -> dict:
        """Item id -> 1..5, None for not able to observe; unanswered items are left out."""
        result = {}
        for item in self.process["items"]:
            value = self.cleaned_data.get(f"item-{item['id']}")
            if value:
                result[item["id"]] = None if value == NOT_OBSERVED else int(value)
        return result

    def importance(self) -> int | None:
        value = self.cleaned_data.get("importance")
        return int(value) if value else None

    @staticmethod
    def initial_from(answers: dict, importance: dict, process: dict) -> dict:
        initial = {}
        for item in process["items"]:
            if item["id"] in answers:
                value = answers[item["id"]]
                initial[f"item-{item['id']}"] = NOT_OBSERVED if value is None else str(value)
        if process["id"] in importance:
            initial["importance"] = str(importance[process["id"]])
        return initial


class StartForm(OrganisationFrameworkForm):
    """Where the self-assessment is made and on which framework."""


class FocusForm(forms.Form):
    focus = forms.MultipleChoiceField(
        label="Which processes do you want to work on?",
        help_text="Choose up to three.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, processes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus"].choices = [(p["id"], p["name"]) for p in processes]

    def clean_focus(self):
        focus = self.cleaned_data["focus"]
        if len(focus) > 3:
            raise forms.ValidationError("Choose at most three processes")
        return focus
