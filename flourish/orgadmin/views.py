"""The organisation admin's pages: members, frameworks, settings. Every view's first line
is the admin lookup (404 for anyone else); writes go through actions, each one transaction."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from flourish.frameworks.validation import FrameworkError

from . import actions, selectors
from .forms import (
    DefaultFrameworkForm,
    FrameworkUploadForm,
    IdentityProviderForm,
    InviteForm,
    LogoForm,
    RolesForm,
    SearchForm,
    SettingsForm,
)
from .permissions import (
    admin_organisations,
    get_organisation_for_admin,
    get_organisation_for_member,
    get_person_for_admin,
)


@login_required
def index(request):
    organisations = list(admin_organisations(request.user))
    if not organisations:
        raise Http404("You are not an organisation admin.")
    if len(organisations) == 1:
        return redirect("orgadmin:overview", org=organisations[0].pk)
    return render(request, "orgadmin/index.html", {"organisations": organisations})


@login_required
def overview(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    return render(request, "orgadmin/overview.html", {"organisation": organisation})


# --- members -----------------------------------------------------------------------------------

def _members_page(request, organisation, invite_form, status=200):
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return render(request, "orgadmin/members.html", {
        "organisation": organisation, "search": search, "query": query,
        "members": selectors.members(organisation, query), "form": invite_form,
    }, status=status)


@login_required
def members(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    return _members_page(request, organisation, InviteForm())


@login_required
@require_POST
def invite(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    form = InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.invite(request, organisation, data["email"], data["roles"],
                                    data["first_name"], data["last_name"])
        except actions.NotAllowed as problem:
            form.add_error("email", str(problem))
        else:
            messages.success(request, f"Invitation sent to {person.email}.")
            return redirect("orgadmin:members", org=organisation.pk)
    return _members_page(request, organisation, form, status=400)


def _person_page(request, organisation, person, form=None, problem="", status=200):
    roles = selectors.roles_of(organisation, person)
    return render(request, "orgadmin/person.html", {
        "organisation": organisation, "person": person, "roles": roles, "problem": problem,
        "form": form or RolesForm(initial={"roles": roles}),
    }, status=status)


@login_required
def person(request, org, person):
    organisation, person = get_person_for_admin(request.user, org, person)
    return _person_page(request, organisation, person)


@login_required
@require_POST
def change_roles(request, org, person):
    organisation, person = get_person_for_admin(request.user, org, person)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            actions.set_roles(request, organisation, person, form.cleaned_data["roles"])
        except actions.NotAllowed as problem:
            form.add_error("roles", str(problem))
        else:
            messages.success(request, f"Roles saved for {person.email}.")
            return redirect("orgadmin:person", org=organisation.pk, person=person.pk)
    return _person_page(request, organisation, person, form, status=400)


def _account_action(request, org, person, action, done):
    organisation, person = get_person_for_admin(request.user, org, person)
    try:
        action(request, organisation, person)
    except actions.NotAllowed as problem:
        return _person_page(request, organisation, person, problem=str(problem), status=400)
    messages.success(request, done.format(email=person.email))
    return redirect("orgadmin:person", org=organisation.pk, person=person.pk)


@login_required
@require_POST
def deactivate(request, org, person):
    return _account_action(request, org, person, actions.deactivate,
                           "{email} is deactivated and can no longer sign in.")


@login_required
@require_POST
def reactivate(request, org, person):
    return _account_action(request, org, person, actions.reactivate, "{email} can sign in again.")


@login_required
def remove(request, org, person):
    organisation, person = get_person_for_admin(request.user, org, person)
    if request.method != "POST":
        return render(request, "orgadmin/remove.html", {"organisation": organisation, "person": person})
    try:
        actions.remove(request, organisation, person)
    except actions.NotAllowed as problem:
        return _person_page(request, organisation, person, problem=str(problem), status=400)
    messages.success(request, f"{person.email} no longer has any role in {organisation.name}.")
    return redirect("orgadmin:members", org=organisation.pk)


# --- frameworks --------------------------------------------------------------------------------

def _frameworks_page(request, organisation, default_form=None, upload_form=None, problems=(), status=200):
    org_settings = actions.settings_for(organisation)
    return render(request, "orgadmin/frameworks.html", {
        "organisation": organisation, "uses": selectors.frameworks_in_use(organisation),
        "default": org_settings.default_framework, "problems": problems,
        "default_form": default_form or DefaultFrameworkForm(
            frameworks=selectors.frameworks_available(organisation),
            initial={"framework": org_settings.default_framework}),
        "upload_form": upload_form or FrameworkUploadForm(),
        "form": upload_form if upload_form is not None and upload_form.errors else default_form,
    }, status=status)


@login_required
def frameworks(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    return _frameworks_page(request, organisation)


@login_required
@require_POST
def choose_default(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    form = DefaultFrameworkForm(request.POST, frameworks=selectors.frameworks_available(organisation))
    if form.is_valid():
        actions.choose_default_framework(request, organisation, form.cleaned_data["framework"])
        messages.success(request, "Default framework saved.")
        return redirect("orgadmin:frameworks", org=organisation.pk)
    return _frameworks_page(request, organisation, default_form=form, status=400)


@login_required
@require_POST
def upload_framework(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    form = FrameworkUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version, created = actions.upload_framework(request, organisation, upload.read(), upload.name)
        except FrameworkError as error:
            form.add_error("file", f"{upload.name} is not a valid framework file; nothing was stored.")
            return _frameworks_page(request, organisation, upload_form=form, problems=error.problems, status=400)
        except actions.NotAllowed as problem:
            form.add_error("file", str(problem))
        else:
            state = "stored" if created else "already stored (unchanged)"
            messages.success(request, f"{version.framework.name} version {version.version} {state}.")
            return redirect("orgadmin:frameworks", org=organisation.pk)
    return _frameworks_page(request, organisation, upload_form=form, status=400)


# --- settings ----------------------------------------------------------------------------------

def _settings_page(request, organisation, form=None, logo_form=None, status=200):
    org_settings = actions.settings_for(organisation)
    return render(request, "orgadmin/settings.html", {
        "organisation": organisation, "settings": org_settings,
        "settings_form": form or SettingsForm(instance=org_settings, organisation=organisation),
        "logo_form": logo_form or LogoForm(),
        "form": logo_form if logo_form is not None and logo_form.errors else form,
    }, status=status)


@login_required
def settings_page(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    if request.method != "POST":
        return _settings_page(request, organisation)
    form = SettingsForm(request.POST, instance=actions.settings_for(organisation), organisation=organisation)
    if form.is_valid():
        try:
            actions.update_settings(request, organisation, form.values())
        except actions.NotAllowed as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Settings saved.")
            return redirect("orgadmin:settings", org=organisation.pk)
    return _settings_page(request, organisation, form=form, status=400)


@login_required
@require_POST
def logo(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    if "remove" in request.POST:
        actions.remove_logo(request, organisation)
        messages.success(request, "Logo removed.")
        return redirect("orgadmin:settings", org=organisation.pk)
    form = LogoForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["logo"]
        try:
            actions.set_logo(request, organisation, upload.read(actions.LOGO_MAX_BYTES + 1), upload.name)
        except actions.NotAllowed as problem:
            form.add_error("logo", str(problem))
        else:
            messages.success(request, "Logo saved.")
            return redirect("orgadmin:settings", org=organisation.pk)
    return _settings_page(request, organisation, logo_form=form, status=400)


@login_required
def logo_image(request, org):
    organisation = get_organisation_for_member(request.user, org)
    org_settings = actions.settings_for(organisation)
    if not org_settings.logo:
        raise Http404("No logo.")
    response = HttpResponse(bytes(org_settings.logo), content_type=org_settings.logo_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- the organisation's identity provider ------------------------------------------------------

@login_required
def identity_provider(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    provider = selectors.identity_provider_of(organisation)
    form = IdentityProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_identity_provider(request, organisation, form.cleaned_data)
        except actions.NotAllowed as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "Identity provider saved.")
            return redirect("orgadmin:identity_provider", org=organisation.pk)
    return render(request, "orgadmin/identity_provider.html", {
        "organisation": organisation, "provider": provider, "form": form,
        "callback_url": request.build_absolute_uri(reverse("oidc_callback")),
    }, status=400 if form.errors else 200)
