"""Sources in the browser-less sense: uploading transcripts (all or nothing), their
attributes and speakers' attributes, revising and deleting them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from flourish.qualitative import actions, selectors
from flourish.qualitative.models import Coding, Source, Speaker, text_hash

from .helpers import INTERVIEW, make_project

GOOD = "Interviewer: What changed?\nDee: We share one plan now. 🙂\n"


def upload(client, project, *files, **fields):
    data = {"files": [SimpleUploadedFile(name, content) for name, content in files], "stage": "", "site": "",
            **fields}
    return client.post(reverse("qualitative:sources", args=[project.pk]), data)


def test_the_lead_uploads_several_transcripts_with_a_stage_and_site(client, researcher):
    project = make_project(researcher)
    client.force_login(researcher)
    vtt = b"WEBVTT\n\n00:00.000 --> 00:01.000\n<v Eve>We tried a joint clinic.\n"
    response = upload(client, project, ("dee.txt", GOOD.encode()), ("eve.vtt", vtt),
                      stage="interview", site="North")
    assert response.status_code == 302
    dee, eve = Source.objects.get(name="dee.txt"), Source.objects.get(name="eve.vtt")
    assert dee.text == GOOD and dee.attributes == {"stage": "interview", "site": "North"}
    assert eve.text == "Eve: We tried a joint clinic." and eve.format == "vtt"
    assert {"Dee", "Eve", "Interviewer"} <= set(project.speakers.values_list("name", flat=True))
    assert "Imported 2 transcripts: dee.txt, eve.vtt." in client.get(response["Location"]).content.decode()


def test_one_bad_file_among_good_ones_imports_nothing_and_names_the_bad_file(client, researcher):
    project = make_project(researcher)
    before = project.sources.count()
    client.force_login(researcher)
    response = upload(client, project, ("dee.txt", GOOD.encode()), ("minutes.pdf", b"%PDF-1.4 ..."),
                      ("empty.md", b""))
    assert response.status_code == 400 and project.sources.count() == before
    text = response.content.decode()
    assert "There is a problem" in text and "Nothing was imported." in text
    assert "minutes.pdf: unsupported file type" in text and "empty.md: the file is empty" in text
    assert "dee.txt" not in text.split("There is a problem")[1].split("</ul>")[0]


def test_a_file_in_the_wrong_encoding_is_refused_with_how_to_fix_it(client, researcher):
    project = make_project(researcher)
    client.force_login(researcher)
    response = upload(client, project, ("latin.txt", "Zoë: Ça va très bien.".encode("latin-1")))
    assert response.status_code == 400 and not Source.objects.filter(name="latin.txt").exists()
    assert "latin.txt: the file is not UTF-8 text" in response.content.decode()
    response = upload(client, project, ("wide.txt", "Ann: hi".encode("utf-16")))
    assert "wide.txt: the file is UTF-16 encoded" in response.content.decode()


def test_a_source_name_already_in_the_project_is_refused(client, researcher):
    project = make_project(researcher)
    client.force_login(researcher)
    response = upload(client, project, ("interview-ann.txt", GOOD.encode()))
    assert response.status_code == 400 and "already has a source with this name" in response.content.decode()
    assert project.sources.get(name="interview-ann.txt").text == INTERVIEW


def test_uploading_without_a_file_asks_for_one(client, researcher):
    project = make_project(researcher)
    client.force_login(researcher)
    response = client.post(reverse("qualitative:sources", args=[project.pk]), {"stage": ""})
    assert response.status_code == 400 and "Choose at least one transcript file" in response.content.decode()


def test_source_attributes_are_saved_changed_and_cleared(client, researcher):
    project = make_project(researcher)
    source = project.sources.get(name="interview-ann.txt")
    url = reverse("qualitative:source_attributes", args=[project.pk, source.pk])
    client.force_login(researcher)
    page = client.get(reverse("qualitative:source", args=[project.pk, source.pk])).content.decode()
    assert 'name="name_1"' in page and 'name="name_2"' not in page  # two empty rows
    response = client.post(url, {"stage": "PAR session", "site": "East", "name_0": "round", "value_0": "2",
                                 "name_1": "", "value_1": ""})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.attributes == {"stage": "PAR session", "site": "East", "round": "2"}
    client.post(url, {"stage": "", "site": "East", "name_0": "round", "value_0": "", "name_1": "", "value_1": ""})
    source.refresh_from_db()
    assert source.attributes == {"site": "East"}


def test_an_attribute_value_without_a_name_or_a_repeated_name_is_refused(client, researcher):
    project = make_project(researcher)
    source = project.sources.get(name="interview-ann.txt")
    url = reverse("qualitative:source_attributes", args=[project.pk, source.pk])
    client.force_login(researcher)
    response = client.post(url, {"stage": "", "site": "", "name_0": "", "value_0": "2"})
    assert response.status_code == 400 and "Enter a name for this attribute" in response.content.decode()
    response = client.post(url, {"stage": "", "site": "", "name_0": "site", "value_0": "2"})
    assert response.status_code == 400 and "is used twice" in response.content.decode()
    source.refresh_from_db()
    assert source.attributes == {"stage": "interview"}


def test_speaker_attributes_are_saved_and_kept_alongside_others(client, researcher):
    project = make_project(researcher)
    ann = Speaker.objects.get(project=project, name="Ann")
    actions.set_speaker_attributes(ann, {"years in post": "4"})
    client.force_login(researcher)
    assert "Ann" in client.get(reverse("qualitative:speakers", args=[project.pk])).content.decode()
    prefix = f"speaker-{ann.pk}"
    response = client.post(reverse("qualitative:speaker", args=[project.pk, ann.pk]),
                           {f"{prefix}-role": "leader", f"{prefix}-profession": "Health visitor", f"{prefix}-site": ""})
    assert response.status_code == 302 and response["Location"].endswith(f"#speaker-{ann.pk}")
    ann.refresh_from_db()
    assert ann.attributes == {"years in post": "4", "role": "leader", "profession": "Health visitor"}


def test_revising_a_transcript_lists_my_codings_whose_words_changed(client, researcher, second_researcher,
                                                                    model_version):
    project = make_project(researcher, second_researcher, model_version)
    source = project.sources.get(name="interview-ann.txt")
    code = project.codes.first()
    mine = actions.add_code_to_turn(selectors.person_layer(project, researcher), source, 3, [code])[0]
    kept = actions.add_code_to_turn(selectors.person_layer(project, researcher), source, 1, [code])[0]
    actions.add_code_to_turn(selectors.person_layer(project, second_researcher), source, 3, [code])
    revised = INTERVIEW.replace("proper coffee", "proper cup of tea")
    client.force_login(researcher)
    response = client.post(reverse("qualitative:revise_source", args=[project.pk, source.pk]),
                           {"file": SimpleUploadedFile("interview-ann.txt", revised.encode())})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.text == revised and source.text_hash == text_hash(revised)
    text = client.get(response["Location"]).content.decode()
    assert "2 codings need checking" in text
    needs = text.split('id="needs-checking"')[1].split("<h2")[0]
    assert reverse("qualitative:remove_coding", args=[project.pk, mine.pk]) in needs
    assert reverse("qualitative:remove_coding", args=[project.pk, kept.pk]) not in needs
    assert "Other members' layers have 1 coding that needs checking" in needs
    response = client.post(reverse("qualitative:remove_coding", args=[project.pk, mine.pk]), {"back": "source"})
    assert response["Location"] == reverse("qualitative:source", args=[project.pk, source.pk])
    assert not Coding.objects.filter(pk=mine.pk).exists()


def test_a_revision_that_cannot_be_read_changes_nothing(client, researcher):
    project = make_project(researcher)
    source = project.sources.get(name="interview-ann.txt")
    client.force_login(researcher)
    response = client.post(reverse("qualitative:revise_source", args=[project.pk, source.pk]),
                           {"file": SimpleUploadedFile("interview-ann.txt", b"\xff\xfeA\x00")})
    assert response.status_code == 400 and "UTF-16" in response.content.decode()
    source.refresh_from_db()
    assert source.text == INTERVIEW


def test_the_lead_deletes_a_source_after_confirming(client, researcher, model_version):
    project = make_project(researcher, framework_version=model_version)
    source = project.sources.get(name="interview-ann.txt")
    actions.add_code_to_turn(selectors.person_layer(project, researcher), source, 1, [project.codes.first()])
    url = reverse("qualitative:delete_source", args=[project.pk, source.pk])
    client.force_login(researcher)
    page = client.get(url)
    assert page.status_code == 200 and "1 coding on it" in page.content.decode()
    assert Source.objects.filter(pk=source.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and not Source.objects.filter(pk=source.pk).exists()
    assert not Coding.objects.exists()


def test_a_stage_named_elsewhere_is_kept_when_other_attributes_are_saved(client, researcher):
    project = make_project(researcher)
    source = project.sources.get(name="interview-ann.txt")
    actions.set_source_attributes(source, {"stage": "Focus group"})
    client.force_login(researcher)
    page = client.get(reverse("qualitative:source", args=[project.pk, source.pk])).content.decode()
    assert 'value="Focus group" checked' in page
    client.post(reverse("qualitative:source_attributes", args=[project.pk, source.pk]),
                {"stage": "Focus group", "site": "West", "name_0": "", "value_0": ""})
    source.refresh_from_db()
    assert source.attributes == {"stage": "Focus group", "site": "West"}
