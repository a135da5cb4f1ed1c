"""REFI-QDA exchange (.qdpx projects, .qdc codebooks) on plain dataclasses.

Conventions:

- Export follows the QDA-XML 1.0 Project schema (namespace ``urn:QDA-XML:project:1.0``);
  a .qdpx is a ZIP with ``project.qde`` and each text source as UTF-8 ``Sources/<guid>.txt``
  (``plainTextPath="internal://<guid>.txt"``). A .qdc is ``<CodeBook>`` in
  ``urn:QDA-XML:codebook:1.0`` with the same ``Code`` elements. (Only the Project schema is
  published, vendored in ``schema/`` as ``PROJECT_SCHEMA``; the tests check a .qdc's codes by
  wrapping them in a Project.)
- Positions are Unicode code points of the stored text (``startPosition`` inclusive,
  ``endPosition`` exclusive), exactly the Python ``str`` indices used everywhere else.
- Each coding is one ``PlainTextSelection`` holding one ``Coding``; the coding's guid is the
  ``Coding`` guid, the selection's guid is derived from it (uuid5). The coder is the
  ``Coding``'s ``creatingUser``. The selection's ``Description`` carries
  ``sha256:<hex>`` of the selected text, so an edited source is *detected* on import
  (the coding is skipped with a reason) instead of silently shifting.
- Source attributes are Text ``Variables`` with ``VariableValue``\\ s on the source.
- Memos are ``Notes``; the target is where the ``NoteRef`` sits: the project (target None),
  a source, a code or a coding. A memo's author is the ``Note``'s ``creatingUser``.
- A user's free-form ``id`` attribute is kept (Flourish writes its layer kind there), and the
  project's ``Description`` too. What Flourish keeps inside description texts (a code's
  definition, when to use it, examples, its framework process) is in `descriptions`.
- A source text that itself starts with U+FEFF is written with a byte-order mark in front,
  since readers drop one.
- GUIDs are written and read as lower-case, without braces.
- Import is tolerant: any namespace spelling (``1:0`` or ``1.0``), ``Sources``/``sources``
  folder, any ``*.qde`` name, sources as ``.txt`` or ``.docx`` (text extracted), CRLF text
  (positions mapped onto the ``\\n``-normalised text). Whatever cannot be kept is listed in
  ``ImportReport.skipped`` with a reason; a file that cannot be read at all raises
  ``QdaError``. Parsing never resolves entities or reaches the network.

Modules: `model` (dataclasses, `check`), `export` (writing, `validate`), `importer`
(reading) and `descriptions` (Flourish's fields inside description texts). Everything is
importable from the package itself.
"""

from pathlib import Path

from .descriptions import (
    CodeNotes,
    code_description,
    parse_code_description,
    parse_project_description,
    project_description,
)
from .export import export_qdc, export_qdpx, project_xml, source_bytes, validate
from .importer import import_qdc, import_qde, import_qdpx
from .model import (
    CODEBOOK_NS,
    DEFAULT_ZIP_LIMIT,
    NS,
    XML_BAD,
    Skipped,
    Source,
    User,
    check,
    new_guid,
    text_hash,
)

# The dataclasses and the error, re-exported in the explicit `X as X` form.
from .model import Code as Code
from .model import Coding as Coding
from .model import ImportReport as ImportReport
from .model import Memo as Memo
from .model import Project as Project
from .model import QdaError as QdaError
from .model import (
    _derived as _derived,  # private, but the tests derive expected GUIDs with it
)
from .model import (
    _norm_guid as _norm_guid,
)

# The official QDA-XML 1.0 Project schema (MIT licence), vendored: see schema/README.md.
PROJECT_SCHEMA: Path = Path(__file__).resolve().parent / "schema" / "Project-mrt2019.xsd"

__all__ = [
    "CODEBOOK_NS", "PROJECT_SCHEMA", "DEFAULT_ZIP_LIMIT", "NS", "XML_BAD", "Code", "CodeNotes", "Coding",
    "ImportReport", "Memo", "Project", "QdaError", "Skipped", "Source", "User", "check", "code_description",
    "export_qdc", "export_qdpx", "import_qdc", "import_qde", "import_qdpx", "new_guid", "parse_code_description",
    "parse_project_description", "project_description", "project_xml", "source_bytes", "text_hash", "validate",
]
