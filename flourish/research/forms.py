"""The research pages' forms."""

from django import forms


class ModelVersionForm(forms.Form):
    """Which framework version the model's tests run on (asked only when there are several)."""

    version = forms.ChoiceField(label="Framework version to test", widget=forms.RadioSelect)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(v["key"], f"{v['version']} ({v['other']} rater responses)")
                                          for v in versions]
        if versions:
            self.fields["version"].initial = versions[0]["key"]
