from datetime import timedelta

from django import forms
from django.utils import timezone

from flourish.core.forms import DateInput, SingleChoiceField

from .models import MAX_PROCESSES, ActionStatus

DATE = DateInput()


class ChooseProcessesForm(forms.Form):
    processes = forms.MultipleChoiceField(
        label="Which processes will you work on?",
        help_text=f"Choose 1 to {MAX_PROCESSES}. The suggested ones are ticked to start with.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": f"Choose at least one process to work on (up to {MAX_PROCESSES})"},
    )
    review_on = forms.DateField(
        label="When will you review this plan?", required=False, widget=DATE,
        help_text="We will email you two days before. Three months is usual.",
    )

    def __init__(self, *args, processes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processes"].choices = [(p["id"], p["name"]) for p in processes]
        self.initial.setdefault("review_on", timezone.localdate() + timedelta(days=91))

    def clean_processes(self):
        chosen = self.cleaned_data["processes"]
        if len(chosen) > MAX_PROCESSES:
            raise forms.ValidationError(f"Choose at most {MAX_PROCESSES} processes")
        return chosen

    def clean_review_on(self):
        review_on = self.cleaned_data["review_on"]
        if review_on and review_on <= timezone.localdate():
            raise forms.ValidationError("The review date must be in the future")
        return review_on


class GoalForm(forms.Form):
    text = forms.CharField(label="Your goal", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                           help_text="What do you want to be different, and how will you and others notice?")

    def __init__(self, *args, process, **kwargs):
        kwargs.setdefault("prefix", f"goal-{process['id']}")
        super().__init__(*args, **kwargs)
        self.fields["text"].label = f"Your goal for {process['name']}"
        self.fields["text"].error_messages["required"] = f"Write your goal for {process['name']}"


class ActionForm(forms.Form):
    practice = forms.ChoiceField(label="Choose a practice to try", required=False)
    text = forms.CharField(
        label="Or write your own action", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="If you chose a practice, you can also say here how you will do it.",
    )
    due_on = forms.DateField(label="Do it by", widget=DATE,
                             error_messages={"required": "Enter the date you will do it by"})

    def __init__(self, *args, process, **kwargs):
        kwargs.setdefault("prefix", f"action-{process['id']}")
        super().__init__(*args, **kwargs)
        self.fields["practice"].choices = [("", "None – I will write my own")] + [
            (p, p) for p in process.get("practices") or []
        ]
        self.initial.setdefault("due_on", timezone.localdate() + timedelta(days=28))

    def clean(self):
        data = super().clean()
        if not data.get("practice") and not (data.get("text") or "").strip():
            self.add_error("text", "Choose a practice or write your own action")
        return data


class ProgressNoteForm(forms.Form):
    written_on = forms.DateField(label="Date", widget=DATE, required=False)
    text = forms.CharField(
        label="What happened, and what shows your progress?", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, what you did, what people said, or a change you noticed.",
        error_messages={"required": "Write what happened or what shows your progress"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("written_on", timezone.localdate())

    def clean_written_on(self):
        value = self.cleaned_data["written_on"] or timezone.localdate()
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return value


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect)


class ReviewForm(forms.Form):
    due_on = forms.DateField(label="Add a review date", widget=DATE,
                             error_messages={"required": "Enter the date of the review"})

    def clean_due_on(self):
        value = self.cleaned_data["due_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError("The review date must be in the future")
        return value


class ReviewDoneForm(forms.Form):
    notes = forms.CharField(
        label="What did you notice when you looked back at your plan?", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write what you noticed when you reviewed the plan"},
    )


class JournalEntryForm(forms.Form):
    organisation = SingleChoiceField(label="Organisation")
    written_on = forms.DateField(label="Date", widget=DATE, required=False)
    title = forms.CharField(label="Title", max_length=200,
                            error_messages={"required": "Give the entry a title"})
    text = forms.CharField(
        label="Your reflection", widget=forms.Textarea(attrs={"rows": 8}), max_length=20000,
        help_text="What happened, what you noticed about yourself and others, what you might try next.",
        error_messages={"required": "Write your reflection"},
    )
    processes = forms.MultipleChoiceField(
        label="Which processes is this about?", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Choose “Suggest tags” and Flourish ticks the processes your words match. Change them as you wish.",
    )

    def __init__(self, *args, processes, organisations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["processes"].choices = [(p["id"], p["name"]) for p in processes]
        self.fields["organisation"].queryset = organisations
        self.initial.setdefault("written_on", timezone.localdate())
        # A leader of one organisation is not asked which one, and an entry stays where it was written.
        if editing:
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["organisation"].required = not self.fields["organisation"].widget.is_hidden

    def clean_organisation(self):
        return self.cleaned_data.get("organisation") or self.fields["organisation"].queryset.first()

    def clean_written_on(self):
        value = self.cleaned_data["written_on"] or timezone.localdate()
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return value


class JournalFilterForm(forms.Form):
    q = forms.CharField(label="Search your journal", required=False, max_length=200)
    process = forms.ChoiceField(label="Process", required=False)
    date_from = forms.DateField(label="From", required=False, widget=DATE)
    date_to = forms.DateField(label="To", required=False, widget=DATE)

    def __init__(self, *args, processes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].choices = [("", "Any process")] + [(p["id"], p["name"]) for p in processes]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date")
        return data


def with_hints(bound_field, hints: dict) -> list:
    """(choice, hint) pairs for `development/_checkboxes.html`."""
    return [(choice, hints.get(choice.data["value"])) for choice in bound_field]
