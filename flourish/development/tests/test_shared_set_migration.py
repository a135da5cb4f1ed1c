"""Nothing lost when the journal's sharing became a foreign key: an entry shared with a set
stays shared with it after `0002_journal_entry_shared_set_foreign_key`, and one pointing at
a set that no longer exists becomes "not shared" rather than failing the migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("development", "0001_initial"), ("sets", "0001_initial")]
AFTER = [("development", "0002_journal_entry_shared_set_foreign_key")]


@pytest.mark.django_db(transaction=True)
def test_entries_shared_before_the_foreign_key_stay_shared_with_the_same_set(facilitator, leader, model_version):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    LearningSet = old.get_model("sets", "LearningSet")
    JournalEntry = old.get_model("development", "JournalEntry")
    learning_set = LearningSet.objects.create(
        name="Riverside leaders", organisation_id=leader.memberships.first().organisation_id,
        facilitator_id=facilitator.pk, framework_version_id=model_version.pk)
    common = dict(organisation_id=learning_set.organisation_id, leader_id=leader.pk,
                  framework_version_id=model_version.pk, text="What I noticed.")
    shared = JournalEntry.objects.create(title="Shared", shared_set_id=learning_set.pk, **common)
    dangling = JournalEntry.objects.create(title="Dangling", shared_set_id=learning_set.pk + 999, **common)
    private = JournalEntry.objects.create(title="Private", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    from flourish.development.models import JournalEntry as Now

    assert Now.objects.get(pk=shared.pk).shared_set_id == learning_set.pk
    assert Now.objects.get(pk=dangling.pk).shared_set is None
    assert Now.objects.get(pk=private.pk).shared_set is None
