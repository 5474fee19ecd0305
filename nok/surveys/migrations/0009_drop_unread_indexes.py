"""Drop the indexes of responses and answers that no query reads: every import writes each
index entry (a million responses, fifteen million answers), and the answer index on
(question, value) alone cost the campaign-wide import a fifth of its time.

- answers by (question, value): counts are read from the tallies, answers only by response;
- answers by response alone, responses by assessment alone: the leading column of
  ``survey_answer_once`` (response, question) and of every (assessment, …) index serves them;
- responses by (assessment, client_hash / address_hash / vector_hash): the quality checks
  read an assessment's responses by time and group them in Python.

The foreign keys' own indexes are dropped by name as the database knows them, and the
``db_index=False`` recorded in the state only: Django's AlterField would drop and re-add
the constraints (re-checking every answer on PostgreSQL) or rebuild both tables on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Index

FK_INDEXES = (("answer", "response_id"), ("response", "assessment_id"))


def drop_fk_indexes(apps, schema_editor):
    for model_name, column in FK_INDEXES:
        model = apps.get_model("surveys", model_name)
        names = schema_editor._constraint_names(
            model, [column], index=True, unique=False, primary_key=False, type_=Index.suffix)
        for name in names:
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_fk_indexes(apps, schema_editor):
    for model_name, column in FK_INDEXES:
        model = apps.get_model("surveys", model_name)
        field = next(f for f in model._meta.local_fields if f.column == column)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0005_campaign_ministry_name'),
        ('surveys', '0008_import_value_map'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='answer',
            name='survey_answer_q_value',
        ),
        migrations.RemoveIndex(
            model_name='response',
            name='survey_resp_assess_client',
        ),
        migrations.RemoveIndex(
            model_name='response',
            name='survey_resp_assess_vector',
        ),
        migrations.RemoveIndex(
            model_name='response',
            name='survey_resp_assess_address',
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='answer',
                    name='response',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='surveys.response'),
                ),
                migrations.AlterField(
                    model_name='response',
                    name='assessment',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='survey_responses', to='assessments.assessment', verbose_name='оценка'),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_fk_indexes, create_fk_indexes),
            ],
        ),
    ]
