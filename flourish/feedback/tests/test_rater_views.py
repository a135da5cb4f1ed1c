"""The rater's questionnaire, from a personal link, without an account."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from flourish import settings as flourish_settings
from flourish.feedback import actions
from flourish.feedback.models import RaterLink, Relationship, Response

from .helpers import answer_everything, fresh_rate_limits, page_data, url, without_list_approval  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db

RATERS = [
    ("Bea Jones", "bea@nhs.test", "Health", Relationship.PEER),
    ("Carl Smith", "carl@council.test", "Social care", Relationship.PARTNER),
    ("Dina Ray", "dina@school.test", "Education and early years", Relationship.PARTNER),
    ("Eli Stone", "eli@riverside.test", "Family support", Relationship.TEAM_MEMBER),
]


@pytest.fixture
def cycle(leader, organisation, model_version):
    without_list_approval(organisation)
    cycle = actions.create_cycle(
        leader, organisation, model_version, "Spring feedback", timezone.localdate() + timedelta(days=14)
    )
    for name, email, profession, relationship in RATERS:
        actions.nominate(cycle, name=name, email=email, profession=profession, relationship=relationship)
    return actions.send_invitations(cycle)


@pytest.fixture
def rater(cycle):
    return cycle.raters.get(email="bea@nhs.test")


@pytest.fixture
def token(rater):
    return RaterLink.issue(rater)


def response_of(rater):
    return Response.objects.filter(rater=rater).first()


def test_a_rater_answers_every_page_and_sends_their_feedback(client, cycle, rater, token, model_version):
    start = client.get(url("start", token))
    assert start.status_code == 200
    assert url("step", token, 1) in start.content.decode()

    processes = model_version.processes
    for number, process in enumerate(processes, start=1):
        page = client.get(url("step", token, number))
        text = page.content.decode()
        assert page.status_code == 200
        assert f"Part {number} of {len(processes)}" in text
        assert process["name"] in text
        assert process["items"][0]["other"] in text
        assert process["items"][0]["self"] not in text
        assert "Not able to observe" in text
        answers = page_data(process, value=number % 5 + 1, comment=f"Note {number}")
        reply = client.post(url("step", token, number), answers)
        expected = url("step", token, number + 1) if number < len(processes) else url("review", token)
        assert reply.status_code == 302 and reply["Location"] == expected

    review = client.get(url("review", token))
    assert review.status_code == 200
    text = review.content.decode()
    assert "Check your answers" in text
    assert "Note 3" in text
    assert text.count(">Change<") == model_version.item_count + len(processes)
    assert response_of(rater).submitted_at is None

    sent = client.post(url("review", token))
    assert sent.status_code == 302 and sent["Location"] == url("thanks", token)
    response = response_of(rater)
    assert response.submitted_at is not None
    assert response.answers[processes[1]["items"][0]["id"]] == 3
    assert response.comments == {p["id"]: f"Note {n}" for n, p in enumerate(processes, start=1)}
    thanks = client.get(url("thanks", token))
    assert thanks.status_code == 200
    assert "Thank you for your feedback" in thanks.content.decode()


def test_not_able_to_observe_is_saved_as_none(client, rater, token, model_version):
    process = model_version.processes[0]
    data = page_data(process, value=4)
    data[f"item-{process['items'][1]['id']}"] = "na"
    client.post(url("step", token, 1), data)
    answers = response_of(rater).answers
    assert answers[process["items"][1]["id"]] is None
    assert answers[process["items"][0]["id"]] == 4
    review = client.get(url("review", token)).content.decode()
    assert "Not able to observe" in review


def test_a_page_with_missing_answers_is_refused_and_nothing_on_it_is_saved(client, rater, token, model_version):
    process = model_version.processes[0]
    data = page_data(process, comment="Kind and clear")
    del data[f"item-{process['items'][2]['id']}"]
    reply = client.post(url("step", token, 1), data)
    assert reply.status_code == 400
    text = reply.content.decode()
    assert "There is a problem" in text
    assert f"Choose an answer for “{process['items'][2]['other']}”" in text
    assert "<title>Error:" in text
    assert response_of(rater) is None


def test_answers_outside_one_to_five_are_refused(client, rater, token, model_version):
    process = model_version.processes[0]
    for bad in ("0", "6", "7", "three", "-1"):
        data = page_data(process)
        data[f"item-{process['items'][0]['id']}"] = bad
        for button in ("continue", "save_and_return"):
            data.pop("continue", None)
            data.pop("save_and_return", None)
            data[button] = ""
            reply = client.post(url("step", token, 1), data)
            assert reply.status_code == 400, bad
            assert "Choose one of the answers given" in reply.content.decode()
    assert response_of(rater) is None


def test_a_comment_longer_than_2000_characters_is_refused(client, rater, token, model_version):
    reply = client.post(url("step", token, 1), page_data(model_version.processes[0], comment="x" * 2001))
    assert reply.status_code == 400
    assert "2000 characters or fewer" in reply.content.decode()
    assert response_of(rater) is None


def test_an_unknown_link_is_not_found_and_says_nothing_about_any_cycle(client, cycle, token, leader):
    for name in ("start", "review", "thanks"):
        reply = client.get(url(name, "not-a-real-token"))
        assert reply.status_code == 404
        assert leader.display_name not in reply.content.decode()
    assert client.get(url("step", "not-a-real-token", 1)).status_code == 404
    assert client.post(url("step", "not-a-real-token", 1), {"continue": ""}).status_code == 404
    assert client.post(url("review", "not-a-real-token")).status_code == 404


def test_a_bad_link_is_explained_for_a_rater_and_never_sends_them_to_a_sign_in(client):
    reply = client.get(url("start", "half-a-copied-tok"))
    page = reply.content.decode()
    assert reply.status_code == 404 and "This link does not work" in page
    assert "ask the person who invited you for a new link" in page
    assert "/account/sign-in/" not in page and "start page" not in page


def test_the_rater_is_told_the_group_and_relationship_they_are_counted_in(client, rater, token):
    page = client.get(url("start", token)).content.decode()
    section = page.split("How you are counted")[1].split("</dl>")[0]
    assert rater.profession in section and rater.get_relationship_display() in section


def test_the_questionnaire_has_no_menu_or_link_that_leads_away(client, rater, token):
    page = client.get(url("start", token)).content.decode()
    header = page.split('<main')[0]
    assert 'class="govuk-service-navigation"' not in header
    assert re.findall(r'<a [^>]*href="([^"]*)"', header) == ["#main-content"]  # the skip link only


def test_a_step_beyond_the_questionnaire_is_not_found(client, token, model_version):
    assert client.get(url("step", token, 0)).status_code == 404
    assert client.get(url("step", token, len(model_version.processes) + 1)).status_code == 404


def test_a_withdrawn_link_gets_a_polite_page_and_nothing_is_saved(client, cycle, rater, token, leader, model_version):
    actions.revoke(rater)
    for name in ("start", "review", "thanks"):
        reply = client.get(url(name, token))
        assert reply.status_code == 410
        text = reply.content.decode()
        assert "This link has been withdrawn" in text
        assert leader.display_name not in text
        assert cycle.organisation.name not in text
    reply = client.post(url("step", token, 1), page_data(model_version.processes[0]))
    assert reply.status_code == 410
    assert client.post(url("review", token)).status_code == 410
    assert response_of(rater) is None


def test_once_the_cycle_closes_late_answers_are_refused_and_the_report_is_unchanged(client, cycle, model_version):
    tokens = {r.email: RaterLink.issue(r) for r in cycle.raters.all()}
    for email in ("carl@council.test", "dina@school.test", "eli@riverside.test"):
        answer_everything(client, tokens[email], model_version, value=4)
        assert client.post(url("review", tokens[email])).status_code == 302
    late = cycle.raters.get(email="bea@nhs.test")
    answer_everything(client, tokens["bea@nhs.test"], model_version, value=1)  # a draft, not sent
    draft_before = response_of(late).answers
    closed = actions.close(cycle)
    assert closed.report is not None
    report_before = closed.report

    reply = client.post(url("step", tokens["bea@nhs.test"], 1), page_data(model_version.processes[0], value=5))
    assert reply.status_code == 410
    assert "This feedback has closed" in reply.content.decode()
    assert client.post(url("review", tokens["bea@nhs.test"])).status_code == 410
    # A rater who had sent theirs cannot change it now either; the page cannot say
    # whether they answered, because their answers are no longer linked to them.
    reply = client.post(url("step", tokens["carl@council.test"], 1), page_data(model_version.processes[0], value=1))
    assert reply.status_code == 410
    assert "no longer linked to you or to this link" in reply.content.decode()

    cycle.refresh_from_db()
    assert cycle.report == report_before
    assert draft_before and response_of(late) is None  # the unsent draft is gone
    kept = Response.objects.filter(cycle=cycle)
    assert kept.count() == 3 and not kept.filter(rater__isnull=False).exists()
    assert all(set(r.answers.values()) == {4} for r in kept)


def test_after_the_closing_date_answers_are_refused_even_before_the_cycle_is_closed(
    client, cycle, rater, token, model_version
):
    type(cycle).objects.filter(pk=cycle.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    start = client.get(url("start", token))
    assert start.status_code == 410
    assert "This feedback has closed" in start.content.decode()
    assert cycle.leader.display_name not in start.content.decode()
    reply = client.post(url("step", token, 1), page_data(model_version.processes[0]))
    assert reply.status_code == 410
    assert client.post(url("review", token)).status_code == 410
    assert response_of(rater) is None


def test_the_closed_page_thanks_a_rater_who_had_sent_their_feedback(client, cycle, rater, token, model_version):
    answer_everything(client, token, model_version)
    client.post(url("review", token))
    type(cycle).objects.filter(pk=cycle.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    reply = client.get(url("start", token))
    assert reply.status_code == 200
    assert "Thank you, your feedback is in" in reply.content.decode()


def test_sending_twice_keeps_one_response_and_the_first_time_it_was_sent(client, rater, token, model_version):
    answer_everything(client, token, model_version)
    assert client.post(url("review", token)).status_code == 302
    first = response_of(rater).submitted_at
    # Double click, back button and send again, a second tab, a retry.
    other_tab = type(client)()
    for browser in (client, client, other_tab):
        reply = browser.post(url("review", token))
        assert reply.status_code == 302 and reply["Location"] == url("thanks", token)
    assert Response.objects.filter(rater=rater).count() == 1
    assert response_of(rater).submitted_at == first
    # Saving the same page again (retry, second tab) changes nothing either.
    process = model_version.processes[0]
    client.post(url("step", token, 1), page_data(process, value=3))
    other_tab.post(url("step", token, 1), page_data(process, value=3))
    assert Response.objects.filter(rater=rater).count() == 1


def test_sending_with_unanswered_questions_is_refused(client, rater, token, model_version):
    client.post(url("step", token, 1), page_data(model_version.processes[0]))
    reply = client.post(url("review", token))
    assert reply.status_code == 400
    text = reply.content.decode()
    assert "Answer every question" in text
    assert url("step", token, 2) in text
    assert response_of(rater).submitted_at is None


def test_the_thank_you_page_before_sending_goes_back_to_the_start(client, token):
    reply = client.get(url("thanks", token))
    assert reply.status_code == 302 and reply["Location"] == url("start", token)


def test_a_draft_survives_closing_the_tab(client, rater, token, model_version):
    process = model_version.processes[0]
    data = page_data(process, value=2, button="save_and_return", comment="Listens well")
    data[f"item-{process['items'][3]['id']}"] = "na"
    del data[f"item-{process['items'][1]['id']}"]
    saved = client.post(url("step", token, 1), data)
    assert saved.status_code == 200
    assert "Your answers are saved" in saved.content.decode()
    assert "same link" in saved.content.decode()

    new_browser = type(client)()
    start = new_browser.get(url("start", token))
    assert "Carry on" in start.content.decode()
    assert url("step", token, 1) in start.content.decode()
    page = new_browser.get(url("step", token, 1))
    form = page.context["form"]
    assert form.initial[f"item-{process['items'][0]['id']}"] == "2"
    assert form.initial[f"item-{process['items'][3]['id']}"] == "na"
    assert f"item-{process['items'][1]['id']}" not in form.initial
    text = page.content.decode()
    assert "Listens well</textarea>" in text
    assert text.count("checked") == 3


def test_answers_can_be_changed_after_sending_while_the_cycle_is_open(client, cycle, rater, token, model_version):
    answer_everything(client, token, model_version, value=3)
    client.post(url("review", token))
    sent_at = response_of(rater).submitted_at

    start = client.get(url("start", token)).content.decode()
    assert "You have sent your feedback" in start
    assert "Change your answers" in start
    review = client.get(url("review", token)).content.decode()
    assert "You have sent your feedback; you can change it until" in review
    assert cycle.closes_on.strftime("%B %Y") in review

    process = model_version.processes[2]
    reply = client.post(url("step", token, 3), page_data(process, value=5, comment="Better lately"))
    assert reply.status_code == 302
    response = response_of(rater)
    assert all(response.answers[i["id"]] == 5 for i in process["items"])
    assert response.comments[process["id"]] == "Better lately"
    assert response.submitted_at == sent_at
    # Clearing a comment removes it.
    client.post(url("step", token, 3), page_data(process, value=5, comment="  "))
    assert process["id"] not in response_of(rater).comments


def test_the_start_page_says_how_long_it_takes_and_how_answers_stay_anonymous(
    client, cycle, token, leader, model_version
):
    text = client.get(url("start", token)).content.decode()
    minutes = actions.questionnaire_minutes(model_version)
    assert f"about {minutes} minutes" in text
    assert f"{model_version.item_count} questions" in text
    assert f"Feedback for {leader.display_name}" in text
    assert cycle.organisation.name in text.replace("&#x27;", "'")
    assert f"averages of at least {cycle.min_k} people" in text
    assert f"at least {cycle.min_comments} people have left one" in text
    assert "Nobody is shown who said what" in text
    assert "this cannot tell them whether you have answered" in text
    assert "What is not protected" in text and "knows they asked you" in text
    assert "not able to observe" in text
    assert "That is always fine" in text
    assert "come back with the same link" in text
    assert "line manager" not in text


def test_a_line_manager_is_told_they_will_be_asked_where_the_organisation_allows_it(client, cycle):
    cycle.organisation.show_line_manager_separately = True
    cycle.organisation.save()
    manager = actions.nominate(cycle, name="Lin Hale", email="lin@riverside.test", profession="Family support",
                               relationship=Relationship.LINE_MANAGER)
    text = client.get(url("start", RaterLink.issue(manager))).content.decode()
    assert "but only if you agree" in text


def first_blocked(request, limit):
    """Requests until one is refused. Rate windows are fixed, so a boundary may fall
    inside the run; 3 x limit requests always overfill one window."""
    for _ in range(3 * limit):
        reply = request()
        if reply.status_code == 429:
            return reply
    raise AssertionError(f"no request was refused in {3 * limit}")


def test_too_many_requests_get_a_polite_429(client, token, settings):
    settings.RATER_LINK_READ_RATE = "10/m"
    for _ in range(5):
        assert client.get(url("start", "guessing")).status_code == 404
    reply = first_blocked(lambda: client.get(url("start", token)), 10)
    assert "Too many requests, wait a minute" in reply.content.decode()
    assert reply["Retry-After"] == "60"


def test_with_a_redis_cache_the_limit_is_counted_where_every_process_sees_it(client, token, settings):
    """CACHE_URL=redis://… puts the counts in Redis (the machine's server on 6379), so
    several app processes share one limit."""
    import uuid

    import redis

    prefix = f"flourish-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {**flourish_settings.cache_from_url("redis://127.0.0.1:6379/0"),
                                   "KEY_PREFIX": prefix}}
    settings.RATER_LINK_READ_RATE = "10/m"
    server = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        assert "Too many requests" in first_blocked(lambda: client.get(url("start", token)), 10).content.decode()
        assert server.keys(f"{prefix}:*"), "the counts should be in Redis, not in this process"
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def test_too_many_saves_get_a_polite_429(client, rater, token, model_version, settings):
    settings.RATER_LINK_WRITE_RATE = "10/m"
    process = model_version.processes[0]
    first_blocked(lambda: client.post(url("step", token, 1), page_data(process)), 10)
    reply = client.post(url("step", token, 1), page_data(process, value=1))
    assert reply.status_code == 429
    assert "Too many requests" in reply.content.decode()
    assert set(response_of(rater).answers.values()) == {3}


def test_pages_never_show_other_raters_names_or_answers(client, cycle, rater, token, model_version):
    other = cycle.raters.get(email="carl@council.test")
    other_token = RaterLink.issue(other)
    answer_everything(client, other_token, model_version, value=1, comment="SECRET-CARL-COMMENT")
    client.post(url("review", other_token))

    steps = [client.get(url("step", token, n)) for n in range(1, len(model_version.processes) + 1)]
    for page in steps:
        assert " checked" not in page.content.decode()  # nothing of Carl's is pre-filled
    before = client.get(url("review", token))
    assert "Rarely or never" not in before.content.decode()
    answer_everything(client, token, model_version, value=4)
    client.post(url("review", token))
    after = [client.get(url("thanks", token)), client.get(url("review", token)), client.get(url("start", token))]
    assert "Rarely or never" not in after[1].content.decode()
    for page in [client.get(url("start", token)), before, *steps, *after]:
        text = page.content.decode()
        for name, email, *_ in RATERS:
            assert name not in text
            assert email not in text
        assert "SECRET-CARL-COMMENT" not in text
        assert page["X-Robots-Tag"] == "noindex, nofollow"
        assert "no-store" in page["Cache-Control"]


def test_a_refused_action_shows_its_message_not_a_traceback(client, monkeypatch, token, model_version):
    def refuse(*args, **kwargs):
        raise actions.NotAllowed("There is no process 'x'.")

    monkeypatch.setattr(actions, "save_page", refuse)
    reply = client.post(url("step", token, 1), page_data(model_version.processes[0]))
    assert reply.status_code == 409
    assert "There is no process" in reply.content.decode()
    assert "Traceback" not in reply.content.decode()


def test_a_link_withdrawn_while_the_page_was_open_gets_the_withdrawn_page(
    client, monkeypatch, rater, token, model_version
):
    real_save = actions.save_page

    def withdrawn_meanwhile(r, *args, **kwargs):
        actions.revoke(r)
        return real_save(r, *args, **kwargs)

    monkeypatch.setattr(actions, "save_page", withdrawn_meanwhile)
    reply = client.post(url("step", token, 1), page_data(model_version.processes[0]))
    assert reply.status_code == 410
    assert "This link has been withdrawn" in reply.content.decode()
    assert response_of(rater) is None
