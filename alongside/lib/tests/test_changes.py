from __future__ import annotations

from alongside.lib.changes import save_changes
from alongside.lib.models import AuditEntry
from conftest import World


def test_only_changed_fields_are_written_and_their_names_audited(world: World) -> None:
    group = world.norcal
    values = {"name_en": "Northern California", "summary_en": "We train volunteers."}

    assert save_changes(group, values, actor=world.core) == ["summary_en"]
    group.refresh_from_db()
    assert group.summary_en == "We train volunteers."
    entry = AuditEntry.objects.get(action="update")
    assert entry.detail == {"fields": ["summary_en"]}
    assert "We train" not in str(entry.detail)

    assert save_changes(group, values, actor=world.core) == []
    assert AuditEntry.objects.filter(action="update").count() == 1
