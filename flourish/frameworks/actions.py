"""Writes for frameworks: each public function is one transaction."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import validation
from .models import Framework, FrameworkVersion

BUILTIN_DIR = Path(__file__).resolve().parent / "data"


class FrameworkInUse(Exception):
    pass


def content_hash(document: dict) -> str:
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def load_framework(document: dict, organisation=None, using="default"):
    """Store a validated framework document. Returns (version, created).

    Loading the same content again changes nothing. New content under an existing
    version number replaces it only while nothing uses it; otherwise it is refused, so
    answers already given always keep the exact items they answered.
    """
    digest = content_hash(document)
    framework, _ = Framework.objects.using(using).get_or_create(
        slug=document["slug"],
        defaults={"name": document["name"], "organisation": organisation},
    )
    if framework.organisation_id != (organisation.pk if organisation else None):
        owner = framework.organisation.name if framework.organisation else "Flourish (published)"
        raise FrameworkInUse(
            f"the slug {document['slug']!r} already belongs to {owner}; choose another slug"
        )
    existing = framework.versions.using(using).filter(version=document["version"]).first()
    if existing and existing.content_hash == digest:
        return existing, False
    if existing:
        if existing.is_in_use():
            raise FrameworkInUse(
                f"version {existing.version} of {framework.slug!r} is in use and cannot "
                f"change; give the file version {framework.latest().version + 1}"
            )
        existing.document, existing.content_hash = document, digest
        existing.save(using=using)
        return existing, False
    version = FrameworkVersion.objects.using(using).create(
        framework=framework, version=document["version"], document=document, content_hash=digest
    )
    if framework.name != document["name"] and version == framework.latest():
        framework.name = document["name"]
        framework.save(using=using, update_fields=["name"])
    return version, True


def load_builtin_frameworks(using="default"):
    """Load the frameworks shipped with Flourish (idempotent; runs after migrate)."""
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        load_framework(validation.load_file(path), using=using)


def default_framework_slug() -> str:
    return getattr(settings, "FLOURISH_DEFAULT_FRAMEWORK", "vaggers-anderson")
