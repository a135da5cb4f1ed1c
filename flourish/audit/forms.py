from django import forms

from flourish.core.forms import DateInput


class AuditFilterForm(forms.Form):
    person = forms.CharField(label="Person (email contains)", required=False, max_length=254)
    verb = forms.ChoiceField(label="What happened", required=False)
    since = forms.DateField(label="From", required=False, widget=DateInput)
    until = forms.DateField(label="To", required=False, widget=DateInput)

    def __init__(self, *args, verbs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", "Anything")] + [(v, v) for v in verbs]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
