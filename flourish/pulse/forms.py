"""Every form of the pulse: the leader's (team, roster, wave) and the respondent's three
sections. Respondent fields are optional so "save and come back later" keeps a half-answered
page; ``require_all()`` is what "save and continue" asks."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from flourish.core.forms import SingleChoiceField

CANT_SAY = "x"


class TeamForm(forms.Form):
    name = forms.CharField(label="Team name", max_length=200,
                           help_text="For example, “Riverside early help team”.")
    organisation = SingleChoiceField(label="Organisation")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MemberForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(label="Email address", max_length=254,
                             error_messages={"invalid": "Enter an email address like name@example.org"})
    profession = forms.CharField(label="Professional group", max_length=100,
                                 help_text="For example, “Health visitor” or “Social worker”.")
    agency = forms.CharField(label="Employer or agency", max_length=200,
                             help_text="The organisation that employs them, for example “City Council”.")


class WaveForm(forms.Form):
    label = forms.CharField(label="Name this wave", max_length=100, help_text="For example, “Spring 2027”.")
    closes_on = forms.DateField(label="Closing date", help_text="The last day people can answer.",
                                widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": "Enter the closing date as a real date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("closes_on", timezone.localdate() + timedelta(days=14))

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on <= timezone.localdate():
            raise forms.ValidationError("The closing date must be in the future")
        return closes_on


class _SectionForm(forms.Form):
    """Radios built from the pinned pulse file; ``values()`` is what the action stores."""

    message = "Choose an answer for “{label}”"

    def _radio(self, name, label, choices):
        self.fields[name] = forms.ChoiceField(
            label=label, choices=choices, required=False, widget=forms.RadioSelect,
            error_messages={"invalid_choice": f"Choose one of the answers given for “{label}”"})

    def require_all(self) -> bool:
        for name, field in self.fields.items():
            if not self.cleaned_data.get(name):
                self.add_error(name, self.message.format(label=field.label))
        return not self.errors


def _agreement_choices(doc):
    scale = doc["scale"]
    choices = [(str(v), label) for v, label in zip(scale["values"], scale["labels"])]
    return choices + [(CANT_SAY, scale["not_able_to_say"])]


def _answer(value):
    return None if value == CANT_SAY else int(value)


def _initial(value):
    return CANT_SAY if value is None else str(value)


class TeamItemsForm(_SectionForm):
    message = "Choose an answer for “{label}”, or “can’t say”"

    def __init__(self, *args, doc, saved=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.doc = doc
        for item in doc["items"]:
            self._radio(f"item-{item['id']}", item["text"], _agreement_choices(doc))
            if saved and item["id"] in saved and not self.is_bound:
                self.initial[f"item-{item['id']}"] = _initial(saved[item["id"]])

    def values(self) -> dict:
        return {item["id"]: _answer(self.cleaned_data[f"item-{item['id']}"])
                for item in self.doc["items"] if self.cleaned_data.get(f"item-{item['id']}")}


class RoleRatingsForm(_SectionForm):
    """Each other profession on the roster, on the pulse's role items."""

    message = "Choose an answer for “{label}”, or “can’t say”"

    def __init__(self, *args, doc, professions, saved=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.doc, self.professions = doc, list(professions)
        items = {i["id"]: i for i in doc["items"]}
        self.groups = []
        for p, profession in enumerate(self.professions):
            names = []
            for item_id in doc["role_ratings"]["items"]:
                name = f"role-{p}-{item_id}"
                self._radio(name, items[item_id]["role_text"].replace("{profession}", profession),
                            _agreement_choices(doc))
                names.append(name)
                value = (saved or {}).get(profession, {})
                if item_id in value and not self.is_bound:
                    self.initial[name] = _initial(value[item_id])
            self.groups.append((profession, names))

    def grouped(self):
        return [(profession, [self[n] for n in names]) for profession, names in self.groups]

    def values(self) -> dict:
        out: dict = {}
        for p, profession in enumerate(self.professions):
            for item_id in self.doc["role_ratings"]["items"]:
                value = self.cleaned_data.get(f"role-{p}-{item_id}")
                if value:
                    out.setdefault(profession, {})[item_id] = _answer(value)
        return out


class CollaborationForm(_SectionForm):
    """How often the respondent works with each profession and each agency on the roster."""

    message = "Choose how often you work with “{label}”"

    def __init__(self, *args, doc, professions, agencies, saved=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p["value"]), p["label"]) for p in doc["collaboration_map"]["scale"]]
        self.professions, self.agencies = list(professions), list(agencies)
        saved = saved or {}
        for kind, groups in (("professions", self.professions), ("agencies", self.agencies)):
            for g, group in enumerate(groups):
                name = f"{kind}-{g}"
                self._radio(name, group, choices)
                if group in saved.get(kind, {}) and not self.is_bound:
                    self.initial[name] = str(saved[kind][group])

    def profession_fields(self):
        return [self[f"professions-{g}"] for g in range(len(self.professions))]

    def agency_fields(self):
        return [self[f"agencies-{g}"] for g in range(len(self.agencies))]

    def values(self) -> dict:
        out: dict = {"professions": {}, "agencies": {}}
        for kind, groups in (("professions", self.professions), ("agencies", self.agencies)):
            for g, group in enumerate(groups):
                value = self.cleaned_data.get(f"{kind}-{g}")
                if value not in (None, ""):
                    out[kind][group] = int(value)
        return out
