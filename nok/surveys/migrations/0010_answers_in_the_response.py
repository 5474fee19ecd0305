"""A response's answers move into its own row (``Response.answers`` and ``texts``), and the
answer table, one row per answered question, is dropped: writing fifteen rows, each checked
against its response by a foreign key, was most of the cost of a national import."""

from django.db import migrations, models

BATCH = 2000


def into_responses(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    last = 0
    while True:
        ids = list(Response.objects.filter(pk__gt=last).order_by("pk")
                   .values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        last = ids[-1]
        responses = {r.pk: r for r in Response.objects.filter(pk__in=ids)}
        for response_id, question, value, text in Answer.objects.filter(
                response_id__in=ids).values_list("response_id", "question", "value", "text"):
            response = responses[response_id]
            response.answers[question] = value
            if text:
                response.texts[question] = text
        Response.objects.bulk_update(responses.values(), ["answers", "texts"])


def into_answers(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    rows = (Answer(response_id=pk, question=question, value=value,
                   text=texts.get(question, ""))
            for pk, answers, texts in Response.objects.order_by("pk")
            .values_list("pk", "answers", "texts").iterator(chunk_size=BATCH)
            for question, value in answers.items())
    Answer.objects.bulk_create(rows, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0009_drop_unread_indexes")]
    operations = [
        # The answer rows' reverse name, ``answers``, goes to the new field.
        migrations.AlterField(
            model_name="answer", name="response",
            field=models.ForeignKey(db_index=False, on_delete=models.CASCADE,
                                    related_name="answer_rows", to="surveys.response"),
        ),
        migrations.AddField(
            model_name="response", name="answers",
            field=models.JSONField(blank=True, default=dict, verbose_name="ответы"),
        ),
        migrations.AddField(
            model_name="response", name="texts",
            field=models.JSONField(blank=True, default=dict, verbose_name="тексты ответов"),
        ),
        migrations.RunPython(into_responses, into_answers),
        migrations.DeleteModel(name="Answer"),
    ]
