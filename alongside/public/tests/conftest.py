"""The movement's content as the field team and the Northern California group wrote it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from alongside.movement.models import FaqEntry, Page, Principle, PrinciplesVersion
from conftest import World


@dataclass
class Content:
    v1: PrinciplesVersion
    v2: PrinciplesVersion
    about: Page
    norcal_training: Page


@pytest.fixture
def content(world: World) -> Content:
    team = world.field_team
    Page.objects.create(
        group=team,
        slug="home",
        title_en="Home",
        body_en="We stand with Palestinian villages, unarmed and invited.",
        body_ar="نقف مع القرى الفلسطينية، بلا سلاح وبدعوة.",
    )
    about = Page.objects.create(
        group=team,
        slug="about",
        title_en="About the movement",
        title_ar="عن الحركة",
        body_en="## Since 2001\n\nA movement of **popular resistance**.",
        body_ar="## منذ 2001\n\nحركة **مقاومة شعبية**.",
    )
    Page.objects.create(
        group=team,
        slug="get-involved",
        title_en="Get involved",
        body_en="Harvest season needs hands: contact a support group.",
    )
    v1 = PrinciplesVersion.objects.create(
        group=team,
        number=1,
        intro_en="The first version.",
        published_at=datetime(2019, 3, 14, 12, tzinfo=UTC),
    )
    Principle.objects.create(
        version=v1, position=1, title_en="Invited only", text_en="Old wording of invitation."
    )
    v2 = PrinciplesVersion.objects.create(
        group=team,
        number=2,
        change_note_en="Clarified consensus.",
        published_at=datetime(2024, 9, 2, 12, tzinfo=UTC),
    )
    Principle.objects.create(
        version=v2,
        position=1,
        title_en="Palestinian-led",
        title_ar="بقيادة فلسطينية",
        text_en="We act only when invited by Palestinian communities.",
        text_ar="نعمل فقط بدعوة من المجتمعات الفلسطينية.",
    )
    Principle.objects.create(
        version=v2,
        position=2,
        title_en="Consensus for everyone",
        text_en="Nobody is forced into an action they disagree with.",
    )
    FaqEntry.objects.create(
        group=team,
        question_en="Do I need to speak Arabic?",
        question_ar="هل أحتاج إلى التحدث بالعربية؟",
        answer_en="No; *trainings* prepare you.",
        answer_ar="لا؛ التدريبات تعدّك.",
        position=1,
    )
    FaqEntry.objects.create(
        group=team,
        question_en="A draft question nobody should see",
        answer_en="Draft.",
        is_published=False,
    )
    norcal = world.norcal
    norcal.description_en = "We train volunteers **every spring**."
    norcal.how_to_reach_en = "Come to our monthly meeting in Oakland."
    norcal.summary_en = "Volunteers from the Bay Area."
    norcal.save()
    training = Page.objects.create(
        group=norcal,
        slug="training",
        title_en="Our trainings",
        title_ar="تدريباتنا",
        body_en="Two weekends of nonviolence training.",
        body_ar="عطلتان أسبوعيتان من التدريب على اللاعنف.",
    )
    Page.objects.create(
        group=norcal, slug="draft", title_en="Secret draft", body_en="x", is_published=False
    )
    FaqEntry.objects.create(
        group=norcal, question_en="When is the next training?", answer_en="In March."
    )
    return Content(v1=v1, v2=v2, about=about, norcal_training=training)


def body(response: Any) -> str:
    return response.content.decode()
