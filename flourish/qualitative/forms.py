"""Forms of the coding workbench's pages. They only check the shape of what was sent;
`actions` decides what is allowed and says why not."""

import re

from django import forms

from flourish.core.forms import SingleChoiceField

from .models import MemberRole, UnitKind

MAX_UPLOAD_FILES = 50
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # per file, before parsing (the parser has its own limit)
MAX_UPLOAD_TOTAL = 100 * 1024 * 1024  # all the files of one upload
STAGES = [("interview", "Interview"), ("PAR session", "PAR session")]
NO_FRAMEWORK = "none"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the file names are kept for messages."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            raise forms.ValidationError("Choose at least one transcript file")
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(f"Choose at most {MAX_UPLOAD_FILES} files at a time")
        for f in files:
            if f.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(
                    f"{f.name}: the file is too large ({f.size:,} bytes; the limit is {MAX_UPLOAD_BYTES:,})")
        if sum(f.size for f in files) > MAX_UPLOAD_TOTAL:
            raise forms.ValidationError(f"The files come to more than {MAX_UPLOAD_TOTAL:,} bytes; "
                                        "upload them in smaller groups")
        return files


class ColourInput(forms.TextInput):
    input_type = "color"


def _colour_field():
    return forms.CharField(label="Colour", required=False, widget=ColourInput(),
                           help_text="Used to mark the code in lists.")


def _clean_colour(value):
    value = (value or "").strip()
    if value and not COLOUR.match(value):
        raise forms.ValidationError("Enter a colour as # and six hexadecimal digits, like #0072b2")
    return value.lower()


# --- projects and members -------------------------------------------------------------------

class ProjectForm(forms.Form):
    name = forms.CharField(label="Name of the project", max_length=200,
                           help_text="For example, “Leading integration: Riverside interviews 2026”")
    description = forms.CharField(label="Description (optional)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    organisation = SingleChoiceField(label="Organisation")
    framework = forms.ChoiceField(label="Start the codebook from", widget=forms.RadioSelect,
                                  help_text="One code per process of the model, with coding guidance. "
                                            "You can add your own codes either way.")
    unit_kind = forms.ChoiceField(label="Unit for agreement and coverage", choices=UnitKind.choices,
                                  initial=UnitKind.TURN, widget=forms.RadioSelect)

    def __init__(self, *args, organisations, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(v.pk): v for v in versions}
        self.fields["organisation"].queryset = organisations
        self.fields["framework"].choices = [(pk, f"The {v}") for pk, v in self.versions.items()] + [
            (NO_FRAMEWORK, "No framework: an empty codebook")]
        self.fields["framework"].initial = next(iter(self.versions), NO_FRAMEWORK)

    def clean_framework(self):
        value = self.cleaned_data["framework"]
        return None if value == NO_FRAMEWORK else self.versions[value]


class MemberForm(forms.Form):
    email = forms.EmailField(label="Researcher's email address",
                             help_text="They need a Flourish account with the researcher role in this organisation.")
    role = forms.ChoiceField(label="Role in the project", choices=MemberRole.choices, initial=MemberRole.CODER,
                             widget=forms.RadioSelect)


# --- sources and attributes -----------------------------------------------------------------

class UploadForm(forms.Form):
    files = MultipleFileField(label="Transcript files",
                              help_text="One or more .txt, .md, .docx, .vtt or .srt files, saved as UTF-8. "
                                        "If any file cannot be read, none is imported.")
    stage = forms.ChoiceField(label="Stage", required=False, widget=forms.RadioSelect,
                              choices=STAGES + [("", "Not set")], initial="")
    site = forms.CharField(label="Site (optional)", required=False, max_length=200)

    def attributes(self) -> dict:
        return {"stage": self.cleaned_data["stage"], "site": self.cleaned_data["site"]}


class ReviseForm(forms.Form):
    file = forms.FileField(label="Corrected transcript", allow_empty_file=True,
                           help_text="The whole transcript again, as .txt, .md, .docx, .vtt or .srt. "
                                     "Codings are not moved: any whose words changed are listed for checking.")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"{f.name}: the file is too large (the limit is {MAX_UPLOAD_BYTES:,} bytes)")
        return f


class SourceAttributesForm(forms.Form):
    """Stage and site, then free name/value pairs: the ones already set and two empty rows."""

    stage = forms.ChoiceField(label="Stage", required=False, widget=forms.RadioSelect,
                              choices=STAGES + [("", "Not set")])
    site = forms.CharField(label="Site", required=False, max_length=200)
    FIXED = ("stage", "site")
    MAX_ROWS = 50

    def __init__(self, data=None, *, attributes=None, **kwargs):
        attributes = attributes or {}
        extra = {k: v for k, v in attributes.items() if k not in self.FIXED}
        rows = sum(1 for key in data if re.fullmatch(r"name_\d+", key)) if data is not None else len(extra) + 2
        rows = min(rows, self.MAX_ROWS)
        initial = {"stage": attributes.get("stage", ""), "site": attributes.get("site", "")}
        for i, (key, value) in enumerate(extra.items()):
            initial[f"name_{i}"], initial[f"value_{i}"] = key, value
        super().__init__(data, initial=initial, **kwargs)
        stage = attributes.get("stage", "")
        if stage and stage not in dict(STAGES):  # a stage named elsewhere (an imported project) is kept
            self.fields["stage"].choices = [(stage, stage)] + STAGES + [("", "Not set")]
        self.rows = []
        for i in range(rows):
            self.fields[f"name_{i}"] = forms.CharField(label="Name", required=False, max_length=200)
            self.fields[f"value_{i}"] = forms.CharField(label="Value", required=False, max_length=200)
            self.rows.append((i + 1, f"name_{i}", f"value_{i}"))

    def row_fields(self):
        return [(number, self[name], self[value]) for number, name, value in self.rows]

    def clean(self):
        data = super().clean()
        seen = set(self.FIXED)
        for _, name, value in self.rows:
            key, val = (data.get(name) or "").strip(), (data.get(value) or "").strip()
            if val and not key:
                self.add_error(name, "Enter a name for this attribute, or clear its value")
            elif key in seen:
                self.add_error(name, f"“{key}” is used twice; give each attribute its own name")
            if key:
                seen.add(key)
        return data

    def attributes(self) -> dict:
        data = self.cleaned_data
        result = {"stage": data["stage"], "site": data["site"]}
        for _, name, value in self.rows:
            if data.get(name, "").strip():
                result[data[name].strip()] = data.get(value, "")
        return result


class SpeakerForm(forms.Form):
    role = forms.CharField(label="Role", required=False, max_length=200,
                           help_text="For example, interviewer, leader, practitioner")
    profession = forms.CharField(label="Profession", required=False, max_length=200)
    site = forms.CharField(label="Site", required=False, max_length=200)

    def attributes(self, existing: dict) -> dict:
        return {**existing, **self.cleaned_data}


# --- codebook and memos ---------------------------------------------------------------------

class CodeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    definition = forms.CharField(label="Definition", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    inclusion = forms.CharField(label="When to apply it", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    exclusion = forms.CharField(label="When not to apply it", required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="And which code to use instead.")
    examples = forms.CharField(label="Example quotes", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="One per line.")
    colour = _colour_field()

    def clean_colour(self):
        return _clean_colour(self.cleaned_data.get("colour"))

    def fields_for_action(self) -> dict:
        return dict(self.cleaned_data)


class AddCodeForm(CodeForm):
    parent = forms.ModelChoiceField(queryset=None, required=False, label="Where it goes",
                                    empty_label="At the top level of the codebook")
    field_order = ["name", "parent", "definition", "inclusion", "exclusion", "examples", "colour"]

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = codes
        self.fields["parent"].label_from_instance = lambda c: f"Under “{c.name}”"

    def fields_for_action(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("name", "parent")}


class MemoForm(forms.Form):
    name = forms.CharField(label="Title (optional)", required=False, max_length=200)
    text = forms.CharField(label="Memo", widget=forms.Textarea(attrs={"rows": 5}))


# --- coding ---------------------------------------------------------------------------------

class TurnCodesForm(forms.Form):
    """The full set of ticked codes for one turn (none ticked removes them all)."""

    codes = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].queryset = codes


class SelectionForm(forms.Form):
    start = forms.IntegerField(label="Start position", min_value=0,
                               help_text="The position of the first character of the words.",
                               error_messages={"required": "Enter where the words start, or select them",
                                               "invalid": "Enter the start as a whole number"})
    end = forms.IntegerField(label="End position", min_value=1, help_text="The position just after the last character.",
                             error_messages={"required": "Enter where the words end, or select them",
                                             "invalid": "Enter the end as a whole number"})
    quote = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    codes = forms.ModelMultipleChoiceField(queryset=None, label="Codes to apply",
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": "Choose at least one code to apply"})

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].queryset = codes
