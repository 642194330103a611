"""Publishing a new version of the principles; earlier versions stay as they were."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alongside.movement import actions
from alongside.movement.models import Principle, PrinciplesVersion
from alongside.movement.tests.helpers import NORCAL, assert_only_core_of_the_group, queries_for
from conftest import World

LIST = f"{NORCAL}/principles/"
NEW = f"{NORCAL}/principles/new/"


@pytest.fixture
def version_one(world: World) -> PrinciplesVersion:
    return actions.publish_principles(
        actor=world.core,
        group=world.norcal,
        intro_en="We act together.",
        change_note_en="First version.",
        principles=[
            actions.PrincipleText(title_en="Palestinian-led", text_en="Only when invited."),
            actions.PrincipleText(
                title_en="Nonviolence", text_en="No violence, ever.", title_ar="اللاعنف"
            ),
        ],
    )


def formset_data(rows: list[dict[str, str]], **extra: str) -> dict[str, str]:
    data = {
        "intro_en": "We act together, by consensus.",
        "intro_ar": "",
        "change_note_en": "Added consensus.",
        "change_note_ar": "",
        "principles-TOTAL_FORMS": str(len(rows)),
        "principles-INITIAL_FORMS": "0",
        "principles-MIN_NUM_FORMS": "0",
        "principles-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"principles-{i}-{key}"] = value
    data.update(extra)
    return data


def row(title: str, text: str = "Text.", **more: str) -> dict[str, str]:
    return {"title_en": title, "text_en": text, "title_ar": "", "text_ar": "", **more}


def test_core_member_sees_every_version_with_date_and_publisher(
    core_client: Client, version_one: PrinciplesVersion, django_assert_max_num_queries: Any
) -> None:
    core_client.get(LIST)  # the session's first request also records the session
    with django_assert_max_num_queries(16):
        response = core_client.get(LIST)
    text = response.content.decode()
    assert "Version 1" in text
    assert "by Maya Core" in text
    assert "Only when invited." in text


def test_new_version_form_is_prefilled_with_the_current_principles(
    core_client: Client, version_one: PrinciplesVersion
) -> None:
    response = core_client.get(NEW)
    text = response.content.decode()
    assert 'value="Palestinian-led"' in text
    assert 'value="اللاعنف"' in text
    assert "Publish version 2" in text
    assert response.context["formset"].total_form_count() == 2


def test_publishing_creates_the_next_version_and_keeps_the_old_one_intact(
    core_client: Client, world: World, version_one: PrinciplesVersion, audit_entries: Any
) -> None:
    before = list(Principle.objects.filter(version=version_one).values())
    response = core_client.post(
        NEW,
        formset_data(
            [
                row("Palestinian-led", "Only when invited by Palestinian communities."),
                row("Nonviolence", "No violence, ever."),
                row("Consensus", "Every decision by consensus."),
            ]
        ),
    )
    assert response.status_code == 302
    version_two = PrinciplesVersion.objects.get(group=world.norcal, number=2)
    assert version_two.published_by == world.core
    assert version_two.change_note_en == "Added consensus."
    assert [p.title_en for p in version_two.principles.order_by("position")] == [
        "Palestinian-led",
        "Nonviolence",
        "Consensus",
    ]
    assert list(Principle.objects.filter(version=version_one).values()) == before
    version_one.refresh_from_db()
    assert version_one.intro_en == "We act together."
    entry = audit_entries.about(version_two).get(action="publish")
    assert entry.detail["number"] == 2


def test_positions_and_removed_rows_decide_the_new_order(
    core_client: Client, world: World, version_one: PrinciplesVersion
) -> None:
    core_client.post(
        NEW,
        formset_data(
            [
                row("First", ORDER="2"),
                row("Dropped", ORDER="1", DELETE="on"),
                row("Second", ORDER="1"),
            ]
        ),
    )
    version_two = PrinciplesVersion.objects.get(group=world.norcal, number=2)
    assert [(p.position, p.title_en) for p in version_two.principles.order_by("position")] == [
        (1, "Second"),
        (2, "First"),
    ]


def test_the_first_version_of_a_group_is_number_one(core_client: Client, world: World) -> None:
    core_client.post(NEW, formset_data([row("Nonviolence")]))
    assert PrinciplesVersion.objects.get(group=world.norcal).number == 1


def test_at_least_one_principle_is_needed(
    core_client: Client, world: World, version_one: PrinciplesVersion
) -> None:
    response = core_client.post(
        NEW, formset_data([row("Only", DELETE="on")], change_note_en="Everything gone")
    )
    assert response.status_code == 200
    assert "at least one principle" in response.content.decode()
    assert 'value="Everything gone"' in response.content.decode()
    assert PrinciplesVersion.objects.filter(group=world.norcal).count() == 1


def test_a_principle_without_text_is_refused_keeping_what_was_typed(
    core_client: Client, world: World
) -> None:
    response = core_client.post(
        NEW, formset_data([row("Consensus", text="")], change_note_en="Try")
    )
    assert response.status_code == 200
    assert response.context["formset"].errors[0]["text_en"]
    assert 'value="Consensus"' in response.content.decode()
    assert not PrinciplesVersion.objects.exists()


def test_a_missing_change_note_is_refused(core_client: Client) -> None:
    response = core_client.post(NEW, formset_data([row("Consensus")], change_note_en=""))
    assert response.status_code == 200
    assert response.context["form"].errors["change_note_en"]
    assert not PrinciplesVersion.objects.exists()


def test_adding_a_row_keeps_what_was_typed_and_publishes_nothing(
    core_client: Client,
) -> None:
    response = core_client.post(NEW, formset_data([row("Consensus", "Half-written")], add_row="1"))
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 2
    assert "Half-written" in response.content.decode()
    assert not PrinciplesVersion.objects.exists()


def test_a_number_taken_meanwhile_is_retried_with_the_next_one(
    world: World, version_one: PrinciplesVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two core members publishing at once: the one whose number was taken while it looked
    gets the next number instead of an error."""
    from django.db.models.query import QuerySet

    actions.publish_principles(
        actor=world.core, group=world.norcal, principles=[actions.PrincipleText("A", "a")]
    )
    original = QuerySet.aggregate
    looks: list[int] = []

    def stale_on_first_look(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.model is PrinciplesVersion:
            looks.append(1)
            if len(looks) == 1:
                return {"n": 1}  # version 2, published meanwhile, was not yet visible
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "aggregate", stale_on_first_look)
    version = actions.publish_principles(
        actor=world.core, group=world.norcal, principles=[actions.PrincipleText("B", "b")]
    )
    assert version.number == 3
    assert (
        PrinciplesVersion.objects.get(group=world.norcal, number=2).principles.get().title_en == "A"
    )


def test_publishing_is_refused_with_a_message_when_the_number_stays_taken(
    world: World, version_one: PrinciplesVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.models.query import QuerySet

    original = QuerySet.aggregate

    def always_stale(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.model is PrinciplesVersion:
            return {"n": 0}
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "aggregate", always_stale)
    with pytest.raises(actions.PrinciplesConflict):
        actions.publish_principles(
            actor=world.core, group=world.norcal, principles=[actions.PrincipleText("B", "b")]
        )
    assert PrinciplesVersion.objects.filter(group=world.norcal).count() == 1


def test_principles_are_only_for_the_groups_core(
    client: Client, world: World, version_one: PrinciplesVersion
) -> None:
    assert_only_core_of_the_group(client, world, LIST)
    assert_only_core_of_the_group(client, world, NEW)
    assert_only_core_of_the_group(client, world, NEW, method="post", data=formset_data([row("X")]))
    assert PrinciplesVersion.objects.count() == 1


def test_tampered_formset_counts_get_a_message_not_an_error_page(
    core_client: Client, world: World
) -> None:
    data = formset_data([row("A")])
    data["principles-TOTAL_FORMS"] = "5000"
    response = core_client.post(NEW, data)
    assert response.status_code == 200
    assert "Please submit at most 30 forms." in response.content.decode()
    del data["principles-TOTAL_FORMS"]
    response = core_client.post(NEW, data)
    assert response.status_code == 200
    assert "ManagementForm data is missing" in response.content.decode()
    assert core_client.post(NEW, {**data, "add_row": "1"}).status_code == 200
    assert not PrinciplesVersion.objects.exists()


def test_an_empty_post_gets_messages(core_client: Client) -> None:
    response = core_client.post(f"{NORCAL}/profile/", {})
    assert response.status_code == 200
    assert response.context["form"].errors["name_en"]


def test_versions_list_query_count_does_not_grow_with_versions(
    core_client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    def publish(count: int) -> None:
        for _ in range(count):
            actions.publish_principles(
                actor=world.core,
                group=world.norcal,
                principles=[actions.PrincipleText("A", "a"), actions.PrincipleText("B", "b")],
            )

    publish(2)
    few = queries_for(core_client, LIST)
    publish(10)
    with django_assert_max_num_queries(few):
        response = core_client.get(LIST)
    assert "Version 12" in response.content.decode()
