from django import forms

from flourish.accounts.models import Organisation, Role

from .actions import organisation_fields
from .models import LOGO_MAX_BYTES, LOGO_MAX_SIDE, RETENTION_FIELDS, IdentityProvider, OrganisationSettings

ROLE_HELP = {
    Role.LEADER: "assesses themselves, asks for 360° feedback, keeps plans and a journal",
    Role.FACILITATOR: "runs action-learning sets",
    Role.RESEARCHER: "works with de-identified research data and the coding workbench",
    Role.ADMIN: "manages members and settings; never sees who answered",
}


def yes_no(label, help_text="", initial=None) -> forms.TypedChoiceField:
    """A yes/no question as two radios (govuk-frontend has no single-checkbox field)."""
    return forms.TypedChoiceField(label=label, help_text=help_text, initial=initial, widget=forms.RadioSelect,
                                  choices=[(True, "Yes"), (False, "No")], coerce=lambda v: v in (True, "True"))


class SearchForm(forms.Form):
    q = forms.CharField(label="Search by name or email", required=False, max_length=200)


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=[(r.value, f"{r.label} – {ROLE_HELP[r]}") for r in Role], **kwargs)


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(label="First name", required=False, max_length=150)
    last_name = forms.CharField(label="Last name", required=False, max_length=150)
    roles = RolesField(label="Roles", error_messages={"required": "Choose at least one role."})


class RolesForm(forms.Form):
    roles = RolesField(label="Roles", error_messages={"required": "Choose at least one role."})


class DefaultFrameworkForm(forms.Form):
    framework = forms.ModelChoiceField(queryset=None, required=False, label="Default framework",
                                       empty_label="Flourish's default",
                                       help_text="Offered first when someone starts new work.")

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(label="Framework file (YAML)",
                           help_text="Checked as `flourish framework validate` checks it; nothing is stored "
                                     "unless the whole file is valid.")


ORGANISATION_LABELS = {
    "rater_lists_need_approval": "Must a leader's list of raters be approved before invitations go out?",
    "show_line_manager_separately": "Show a line manager's ratings apart from other raters?",
}


class SettingsForm(forms.ModelForm):
    """The organisation's settings. Fields that live on the Organisation (whether rater
    lists need approval, whether a line manager is shown separately) are added for each
    one the Organisation model has."""

    class Meta:
        model = OrganisationSettings
        fields = ["report_name", "sender_name", "comment_minimum", "password_sign_in", *RETENTION_FIELDS]
        labels = {
            "report_name": "Name on reports",
            "sender_name": "Sender name for emails",
            "comment_minimum": "Comment minimum",
            "password_sign_in": "Password sign-in",
            **{name: text for name, text in RETENTION_FIELDS.items()},
        }
        help_texts = {
            "report_name": "Leave empty to use the organisation's name.",
            "sender_name": "Shown as the sender of Flourish's emails, e.g. “Riverside Children's Centre”.",
            "comment_minimum": "Comments are shown only when at least this many people left one (never below 3).",
            "password_sign_in": "Allow people to sign in with a Flourish password. Switch off only once "
                                "your identity provider works.",
            **{name: "Days (30 to 3650)." for name in RETENTION_FIELDS},
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_field_names = organisation_fields()
        for name in self.organisation_field_names:
            model_field = Organisation._meta.get_field(name)
            label = ORGANISATION_LABELS.get(name) or model_field.verbose_name.capitalize()
            self.fields[name] = yes_no(label, model_field.help_text,
                                       initial=getattr(organisation, name))
        self.fields["password_sign_in"] = yes_no(
            "Allow password sign-in?", self.fields["password_sign_in"].help_text,
            initial=self.instance.password_sign_in)
        self.fields["comment_minimum"].min_value = 3

    def values(self) -> dict:
        return dict(self.cleaned_data)


class LogoForm(forms.Form):
    logo = forms.FileField(label="Logo (PNG or JPEG)",
                           help_text=f"At most {LOGO_MAX_BYTES // 1024} KB and {LOGO_MAX_SIDE} pixels a side. "
                                     "Reports show it beside the organisation's name.")


def _https_by_default(model_field, **kwargs):
    if model_field.__class__.__name__ == "URLField":
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class IdentityProviderForm(forms.ModelForm):
    class Meta:
        model = IdentityProvider
        formfield_callback = _https_by_default
        fields = ["issuer", "client_id", "client_secret", "client_secret_env", "allowed_domain", "enabled"]
        labels = {
            "issuer": "Issuer",
            "client_id": "Client ID",
            "client_secret": "Client secret",
            "client_secret_env": "Or: name of the environment variable holding the secret",
            "allowed_domain": "Allowed email domain",
            "enabled": "Use it for sign-in?",
        }
        help_texts = {
            "issuer": "Your provider's issuer address. For Microsoft Entra ID: login.microsoftonline.com/ "
                      "then your tenant ID and /v2.0, starting https://",
            "client_secret": "Leave empty to keep the stored one, or when the secret is in the environment.",
            "client_secret_env": "For example OIDC_SECRET; when set, it is used instead of a stored secret.",
            "allowed_domain": "For example riverside.nhs.uk: people whose address ends @riverside.nhs.uk sign in here.",
        }
        widgets = {"client_secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enabled"] = yes_no("Use it for sign-in?", initial=self.instance.enabled)

    def clean_allowed_domain(self):
        domain = self.cleaned_data["allowed_domain"].strip().lower().lstrip("@")
        if "." not in domain or "@" in domain or " " in domain:
            raise forms.ValidationError("Enter a domain such as riverside.nhs.uk.")
        return domain


class OrganisationSignInForm(forms.Form):
    email = forms.EmailField(label="Your work email address",
                             help_text="You will sign in with your organisation's own account.")
