from datetime import timedelta

from django import forms
from django.utils import timezone

from flourish.accounts.models import Membership, Role, User
from flourish.core.forms import DateInput, SingleChoiceField

from .models import Relationship
from .permissions import approvers_in


class CycleForm(forms.Form):
    title = forms.CharField(label="Name this feedback round", max_length=200,
                            help_text="For example, “Spring 2027 feedback”.")
    closes_on = forms.DateField(
        label="Closing date", help_text="The last day people can answer. Two to three weeks is usual.",
        widget=DateInput(),
    )
    organisation = SingleChoiceField(label="Organisation")
    leader = SingleChoiceField(label="Leader receiving feedback")
    approver = forms.ModelChoiceField(
        queryset=None, required=False, label="Who approves the list of people to ask",
        help_text="A facilitator or organisation admin. Invitations go only after they approve the list, "
                  "and anyone added later waits for them too.",
        empty_label="No approval (only where the organisation allows it)",
    )

    def __init__(self, *args, organisations, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["leader"].queryset = leaders
        self.fields["leader"].label_from_instance = lambda u: f"{u.display_name} ({u.email})"
        self.fields["approver"].queryset = approvers_in(organisations)
        self.fields["approver"].label_from_instance = lambda u: u.display_name
        self.initial.setdefault("closes_on", timezone.localdate() + timedelta(days=21))

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on <= timezone.localdate():
            raise forms.ValidationError("The closing date must be in the future")
        return closes_on

    def clean(self):
        data = super().clean()
        leader, organisation = data.get("leader"), data.get("organisation")
        if leader and organisation and not Membership.objects.filter(
            user=leader, organisation=organisation, role=Role.LEADER
        ).exists():
            self.add_error("leader", f"{leader.display_name} is not a leader at {organisation}")
        approver = data.get("approver")
        if organisation and organisation.rater_lists_need_approval and approver is None:
            self.add_error("approver", f"{organisation} asks for every list to be approved: choose who approves it")
        if approver and leader and approver.pk == leader.pk:
            self.add_error("approver", "Choose someone other than the leader to approve the list")
        return data


class ClosingDateForm(forms.Form):
    closes_on = forms.DateField(label="New closing date", widget=DateInput(),
                                help_text="The last day people can answer.",
                                error_messages={"required": "Enter the new closing date",
                                                "invalid": "Enter the closing date as a real date"})

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on <= timezone.localdate():
            raise forms.ValidationError("The closing date must be in the future")
        return closes_on


CHOOSE = ("", "Choose…")  # no group or relationship is pre-selected: a default is a wrong answer saved by accident


class RaterForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name", error_messages={"required": "Enter the person's name"})
    email = forms.EmailField(label="Email address", error_messages={
        "required": "Enter the person's email address",
        "invalid": "Enter the email address in the right form, like name@example.org"})
    profession = forms.ChoiceField(label="Professional group",
                                   error_messages={"required": "Choose the person's professional group"})
    employer = forms.CharField(max_length=200, required=False, label="Employing organisation",
                               help_text="For example, the NHS trust, council, school or charity.")
    relationship = forms.ChoiceField(label="Relationship to the leader", choices=[CHOOSE, *Relationship.choices],
                                     error_messages={"required": "Choose the person's relationship to the leader"})

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profession"].choices = [CHOOSE, *((g, g) for g in cycle.professional_groups)]


class ReturnListForm(forms.Form):
    comment = forms.CharField(
        label="What should the leader change?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the leader should change"},
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="Upload a CSV file",
                           help_text="Columns: name, email, group, employer, relationship. Saved as CSV UTF-8.")


class ShareForm(forms.Form):
    email = forms.EmailField(label="Email address of the person to share with",
                             help_text="They need a Flourish account, for example your coach.")

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError("There is no Flourish account with that email address")
        self.user = user
        return email
