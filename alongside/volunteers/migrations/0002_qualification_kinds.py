"""The qualifications every group trains for; groups may add more in the admin."""

from django.db import migrations

KINDS = [
    ("two-day-training", "The movement's two-day training", "تدريب الحركة لمدة يومين", None),
    ("legal-briefing", "Legal briefing", "إحاطة قانونية", 365),
    ("first-aid", "First aid", "الإسعافات الأولية", 730),
]


def add_kinds(apps, schema_editor):
    QualificationKind = apps.get_model("volunteers", "QualificationKind")
    for slug, name_en, name_ar, days in KINDS:
        QualificationKind.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_ar": name_ar, "valid_for_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
