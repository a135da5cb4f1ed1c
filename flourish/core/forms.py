"""Form parts every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (2026-12-22): given the locale's
    22/12/2026, Chromium shows an empty box, so a pre-filled date silently disappears."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SingleChoiceField(forms.ModelChoiceField):
    """A required choice of one row (an organisation, a framework) with no empty option.

    When the queryset it is given holds exactly one row there is nothing to ask: the field
    becomes a hidden input holding that row, so templates just include ``core/field.html``
    and never count the queryset themselves (one query here, not two in the template)."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(queryset=None, empty_label=None, label=label, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        if queryset is None:
            return
        rows = list(self.queryset[:2])
        if len(rows) == 1:
            self.widget = forms.HiddenInput()
            self.initial = rows[0].pk

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class OrganisationFrameworkForm(forms.Form):
    """Where a piece of work starts and on which framework version (a self-assessment, a
    set). Each question is asked only when there is more than one answer to choose from."""

    organisation = SingleChoiceField(label="Organisation")
    framework = SingleChoiceField(label="Framework")

    def __init__(self, *args, organisations, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["framework"].queryset = versions
