"""Fill the survey counters from the responses already stored (they are kept from now on)."""

from django.db import migrations
from django.db.models import Count


def fill(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    ResponseTally = apps.get_model("surveys", "ResponseTally")
    AnswerTally = apps.get_model("surveys", "AnswerTally")
    ResponseTally.objects.bulk_create(
        [ResponseTally(assessment_id=a, status=s, channel=c, n=n) for a, s, c, n in
         Response.objects.values_list("assessment_id", "status", "channel")
         .annotate(n=Count("id")).order_by()],
        batch_size=2000,
    )
    AnswerTally.objects.bulk_create(
        [AnswerTally(assessment_id=a, status=s, question=q, value=v, n=n) for a, s, q, v, n in
         Answer.objects.values_list("response__assessment_id", "response__status", "question",
                                    "value").annotate(n=Count("id")).order_by()],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_answertally_responsetally")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
