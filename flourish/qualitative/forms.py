"""Forms of the coding workbench's pages. They only check the shape of what was sent;
`actions` decides what is allowed and says why not."""

import re

from django import forms

from flourish.core.forms import SingleChoiceField

from . import analysis, exchange
from .assist import scoring
from .models import CoderKind, MemberRole, UnitKind

MAX_UPLOAD_FILES = 50
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # per file, before parsing (the parser has its own limit)
MAX_UPLOAD_TOTAL = 100 * 1024 * 1024  # all the files of one upload
STAGES = [("interview", "Interview"), ("PAR session", "PAR session")]
NO_FRAMEWORK = "none"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_QDPX = 200 * 1024 * 1024
MAX_QDC = 10 * 1024 * 1024
CONFIDENCE = [("0.9", "90%"), ("0.95", "95%"), ("0.99", "99%")]


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


# --- agreement, synthesis and the assistant (their forms are sent by GET or start a job) ------

def _layer_choices(project) -> list[tuple[str, str]]:
    """Each coding layer by name, the consensus and assistant layers marked as such."""
    kind = dict(CoderKind.choices)
    return [(str(c.pk), c.name if c.kind == CoderKind.PERSON else f"{c.name} ({kind[c.kind].lower()})")
            for c in project.coders.all()]


class AgreementForm(forms.Form):
    """What to compare (sent by GET). Without data, the defaults of `project_agreement`."""

    coders = forms.MultipleChoiceField(label="Coders to compare", widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "Choose at least two coders to compare"})
    sources = forms.MultipleChoiceField(label="Sources", widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": "Choose at least one source"})
    codes = forms.MultipleChoiceField(label="Codes", widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": "Choose at least one code"})
    unit = forms.ChoiceField(label="Unit of comparison", choices=UnitKind.choices, widget=forms.RadioSelect,
                             help_text="A speaker turn is the words after the speaker's name; sentences never "
                                       "cross a turn.")
    exclude_uncoded = forms.BooleanField(label="Leave out units nobody coded with the chosen codes", required=False)
    confidence = forms.ChoiceField(label="Confidence intervals", choices=CONFIDENCE, widget=forms.RadioSelect)

    def __init__(self, project, data=None, only=None):
        defaults_from = analysis.pick_coders(project)
        super().__init__(data, initial={
            "coders": [str(c.pk) for c in defaults_from], "sources": [str(s.pk) for s in project.sources.all()],
            "codes": [str(c.pk) for c in project.codes.all()], "unit": project.unit_kind, "confidence": "0.95",
        })
        self.fields["coders"].choices = _layer_choices(project)
        self.fields["sources"].choices = [(str(s.pk), s.name) for s in project.sources.all()]
        self.fields["codes"].choices = [(str(c.pk), c.name) for c in project.codes.all()]
        if only:
            for name in set(self.fields) - set(only):
                del self.fields[name]

    def clean_coders(self):
        coders = self.cleaned_data["coders"]
        if len(coders) < 2:
            raise forms.ValidationError("Choose at least two coders to compare")
        return coders

    def chosen(self) -> dict:
        """Keyword arguments for `project_agreement` (valid form) or its defaults (unbound)."""
        data = self.cleaned_data if self.is_bound else {"unit": self.initial["unit"], "confidence": "0.95"}
        return {
            "coders": [int(pk) for pk in data["coders"]] if "coders" in data else None,
            "sources": [int(pk) for pk in data["sources"]] if "sources" in data else None,
            "codes": [int(pk) for pk in data["codes"]] if "codes" in data else None,
            "unit_kind": data["unit"], "exclude_uncoded": data.get("exclude_uncoded", False),
            "confidence": float(data.get("confidence", "0.95")),
        }


class LayerForm(forms.Form):
    layer = forms.ChoiceField(label="Coding layer")
    unit = forms.ChoiceField(label="Unit", choices=UnitKind.choices, widget=forms.RadioSelect)
    leave_out = forms.MultipleChoiceField(
        label="Leave out the turns of", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The research team's questions and prompts are not data. Speakers whose role is "
                  "researcher, interviewer or facilitator are left out unless you choose otherwise.")

    def __init__(self, project, layer, unit, leave_out):
        super().__init__(initial={"layer": str(layer.pk), "unit": unit, "leave_out": leave_out})
        self.fields["layer"].choices = _layer_choices(project)
        self.fields["leave_out"].choices = [(s.name, s.name) for s in project.speakers.all()]


class RunForm(forms.Form):
    unit_kind = forms.ChoiceField(label="Suggest codes for each", choices=[
        (UnitKind.TURN, "Speaker turn"), (UnitKind.SENTENCE, "Sentence")], widget=forms.RadioSelect)
    threshold = forms.FloatField(
        label="Lowest similarity to suggest", min_value=0.0, max_value=1.0, initial=scoring.SIMILARITY_THRESHOLD,
        help_text="From 0 to 1. About 0.3 leaves out talk unrelated to a code; higher means fewer, surer suggestions.")
    probability = forms.FloatField(
        label="Lowest classifier probability to suggest", min_value=0.0, max_value=1.0,
        initial=scoring.PROBABILITY_THRESHOLD,
        help_text=f"From 0 to 1. Used for codes with at least {scoring.MIN_POSITIVE} adjudicated units where "
                  f"the code applies and {scoring.MIN_NEGATIVE} where it does not.")
    limit = forms.IntegerField(label="Most suggestions for one unit", min_value=1, max_value=10,
                               initial=scoring.LIMIT)


# --- REFI-QDA exchange --------------------------------------------------------------------

def _check_size(file, limit: int):
    if file.size > limit:
        raise forms.ValidationError(f"The file is too large ({file.size:,} bytes); the limit is {limit:,} bytes.")
    return file


class ImportProjectForm(forms.Form):
    organisation = SingleChoiceField(label="Organisation")
    name = forms.CharField(label="Name of the new project", required=False, max_length=exchange.PROJECT_NAME_MAX,
                           help_text="Leave empty to use the name in the file.")
    file = forms.FileField(label="REFI-QDA project file (.qdpx)",
                           help_text="Exported from NVivo, ATLAS.ti, MAXQDA, QDA Miner, Quirkos, Flourish or "
                                     "another tool that writes REFI-QDA projects.")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_file(self):
        return _check_size(self.cleaned_data["file"], MAX_QDPX)


class ImportCodebookForm(forms.Form):
    file = forms.FileField(label="REFI-QDA codebook file (.qdc)",
                           help_text="Codes this project already has (the same GUID) are left as they are.")

    def clean_file(self):
        return _check_size(self.cleaned_data["file"], MAX_QDC)
