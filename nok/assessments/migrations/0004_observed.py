"""``Assessment.observed``: the checklists as recorded, counted once from the tick rows here and
kept by ``services.checklist_update`` from now on."""

from typing import Any

from django.db import migrations, models


def count_ticks(apps: Any, schema_editor: Any) -> None:
    Assessment = apps.get_model("assessments", "Assessment")
    ChecklistTick = apps.get_model("assessments", "ChecklistTick")
    observed: dict[int, dict[str, Any]] = {}
    rows = ChecklistTick.objects.values_list("assessment_id", "checklist_key", "item_key", "present")
    for assessment_id, checklist_key, item_key, present in rows.order_by().iterator(chunk_size=5000):
        entry = observed.setdefault(assessment_id, {}).setdefault(
            checklist_key, {"present": [], "recorded": 0})
        entry["recorded"] += 1
        if present:
            entry["present"].append(item_key)
    for pk, checklists in observed.items():
        for entry in checklists.values():
            entry["present"].sort()
        Assessment.objects.filter(pk=pk).update(observed=checklists)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_remove_assessment_computed_at_and_more'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='observed',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(count_ticks, migrations.RunPython.noop),
    ]
