from django import forms

from flourish.core.forms import DateInput, OrganisationFrameworkForm


def _process_choices(version):
    return [(p["id"], p["name"]) for p in version.processes]


class CreateSetForm(OrganisationFrameworkForm):
    name = forms.CharField(label="Name of the set", max_length=200,
                           help_text="For example, “North locality leaders, 2026”")
    field_order = ["name", "organisation", "framework"]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Leader's email address",
                             help_text="They need a Flourish account with the leader role, under this address.")


class JoinForm(forms.Form):
    consent = forms.BooleanField(
        required=False, label="I understand and agree to what the facilitator will see",
    )
    share_scores = forms.BooleanField(
        required=False,
        label="Let my process scores count towards the set's cohort figures",
        help_text="From your latest released 360° report and latest completed self-assessment. "
                  "They only ever appear inside averages of at least 3 leaders. You can change this later.",
    )

    def clean_consent(self):
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError("Tick the box to confirm you agree to what the facilitator will see")
        return True


class SharingForm(forms.Form):
    share_scores = forms.BooleanField(
        required=False, label="Let my process scores count towards the set's cohort figures"
    )


class ParCycleForm(forms.Form):
    focus = forms.CharField(label="What question about integrated working will this cycle explore?",
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="For example, “How can health visitors and family support workers share "
                                      "one plan for a family?”")
    processes = forms.MultipleChoiceField(label="Which processes does it touch?", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processes"].choices = _process_choices(version)


class SessionForm(forms.Form):
    date = forms.DateField(label="Date of the session", widget=DateInput())
    agenda = forms.CharField(label="Agenda", widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label="Shared notes", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="Everyone in the set can read these.")


class NotesForm(forms.Form):
    notes = forms.CharField(label="Shared notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label="Who will do it?", empty_label=None)
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 2}))
    due = forms.DateField(label="Due by (optional)", required=False, widget=DateInput())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].label_from_instance = lambda m: m.user.display_name


class ObservationForm(forms.Form):
    date = forms.DateField(label="When did you observe it?", widget=DateInput())
    text = forms.CharField(label="What did you observe?", widget=forms.Textarea(attrs={"rows": 4}))
    processes = forms.MultipleChoiceField(label="Which processes does it bear on? (optional)", required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processes"].choices = _process_choices(version)


class CloseForm(forms.Form):
    what_changed = forms.CharField(label="What changed in practice?", widget=forms.Textarea(attrs={"rows": 4}))
    what_learnt = forms.CharField(label="What did the set learn?", widget=forms.Textarea(attrs={"rows": 4}))
    processes_bore_on = forms.MultipleChoiceField(
        label="Which processes did the learning bear on?", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processes_bore_on"].choices = _process_choices(version)
