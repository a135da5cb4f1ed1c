"""The model explorer: public pages for a busy centre manager."""

import copy

from flourish.frameworks.actions import load_framework


def test_the_overview_shows_the_diagram_and_all_eight_processes(client, model_version):
    response = client.get(f"/model/{model_version.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="img"' in html and 'aria-labelledby="diagram-title diagram-desc"' in html
    for process in model_version.processes:
        assert process["name"] in html
        assert f"/model/{model_version.slug}/{process['id']}/" in html
    assert "https://doi.org/10.1080/13561820.2021.1897553" in html
    assert "not yet validated" in html


def test_the_short_address_leads_to_the_model(client, model_version):
    response = client.get("/model/")
    assert response.status_code == 302 and response.url.endswith(f"/model/{model_version.slug}/")


def test_each_process_page_shows_its_content_and_says_it_is_ours(client, model_version):
    for process in model_version.processes:
        html = client.get(f"/model/{model_version.slug}/{process['id']}/").content.decode()
        assert process["name"] in html
        for text in process["indicators"] + process["prompts"] + process["practices"]:
            assert text.replace("'", "&#x27;") in html
        for item in process["items"]:
            assert item["other"].replace("'", "&#x27;") in html
        assert "not text from the source study" in html


def test_an_unknown_process_or_framework_is_not_found(client, model_version):
    assert client.get(f"/model/{model_version.slug}/no-such-process/").status_code == 404
    assert client.get("/model/no-such-framework/").status_code == 404


def test_an_organisations_own_framework_is_hidden_from_outsiders(client, model_version, leader, outsider, organisation):
    document = copy.deepcopy(model_version.document)
    document["slug"] = "riverside-own"
    load_framework(document, organisation=organisation)
    assert client.get("/model/riverside-own/").status_code == 404
    client.force_login(outsider)
    assert client.get("/model/riverside-own/").status_code == 404
    client.force_login(leader)
    assert client.get("/model/riverside-own/").status_code == 200
