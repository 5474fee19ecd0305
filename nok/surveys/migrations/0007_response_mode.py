"""The survey mode on every response and in the response counters.

Existing rows are set from their channel, as they were told apart so far: responses of the
public form and imports of form-service exports (Google/Yandex Forms) are online
questionnaires; paper sheets, single or double entry, are paper questionnaires.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


PAPER_CHANNELS = ["paper", "double_entry"]


def modes_from_channels(apps, schema_editor):
    """Added as "online" everywhere; paper sheets become paper questionnaires."""
    for name in ("Response", "ResponseTally"):
        model = apps.get_model("surveys", name)
        model.objects.filter(channel__in=PAPER_CHANNELS).update(mode="paper")


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0004_observed'),
        ('surveys', '0006_response_address_hash'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='responsetally',
            name='survey_response_tally_once',
        ),
        migrations.AddField(
            model_name='importjob',
            name='mode',
            field=models.CharField(choices=[('online', 'анкетирование онлайн'), ('paper', 'анкетирование на бумаге'), ('interview', 'интервью'), ('telephone', 'телефонный опрос')], default='online', max_length=20, verbose_name='форма опроса'),
        ),
        migrations.AddField(
            model_name='papersheet',
            name='mode',
            field=models.CharField(choices=[('online', 'анкетирование онлайн'), ('paper', 'анкетирование на бумаге'), ('interview', 'интервью'), ('telephone', 'телефонный опрос')], default='paper', max_length=20, verbose_name='кто заполнил'),
        ),
        migrations.AddField(
            model_name='response',
            name='interviewer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='interviews', to=settings.AUTH_USER_MODEL, verbose_name='интервьюер'),
        ),
        migrations.AddField(
            model_name='response',
            name='mode',
            field=models.CharField(choices=[('online', 'анкетирование онлайн'), ('paper', 'анкетирование на бумаге'), ('interview', 'интервью'), ('telephone', 'телефонный опрос')], default='online', max_length=20, verbose_name='форма опроса'),
        ),
        migrations.AddField(
            model_name='responsetally',
            name='mode',
            field=models.CharField(choices=[('online', 'анкетирование онлайн'), ('paper', 'анкетирование на бумаге'), ('interview', 'интервью'), ('telephone', 'телефонный опрос')], default='online', max_length=20),
        ),
        migrations.RunPython(modes_from_channels, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='response',
            name='mode',
            field=models.CharField(choices=[('online', 'анкетирование онлайн'), ('paper', 'анкетирование на бумаге'), ('interview', 'интервью'), ('telephone', 'телефонный опрос')], max_length=20, verbose_name='форма опроса'),
        ),
        migrations.AlterField(
            model_name='responsetally',
            name='mode',
            field=models.CharField(choices=[('online', 'анкетирование онлайн'), ('paper', 'анкетирование на бумаге'), ('interview', 'интервью'), ('telephone', 'телефонный опрос')], max_length=20),
        ),
        migrations.AlterField(
            model_name='flag',
            name='kind',
            field=models.CharField(choices=[('burst_org', 'всплеск анкет по организации'), ('burst_client', 'много анкет с одного устройства'), ('burst_address', 'много анкет с одного адреса сети'), ('identical_vector', 'повтор одинаковых ответов подряд'), ('too_fast', 'слишком быстрое заполнение'), ('outside_period', 'вне периода кампании'), ('interviewer_identical', 'одинаковые ответы подряд у интервьюера'), ('interview_too_short', 'слишком короткое интервью'), ('outside_assignment', 'организация не назначена интервьюеру')], max_length=32, verbose_name='признак'),
        ),
        migrations.AlterField(
            model_name='response',
            name='channel',
            field=models.CharField(choices=[('online', 'онлайн-анкета'), ('paper', 'бумажная анкета'), ('import', 'импорт из файла'), ('double_entry', 'бумажная анкета (двойной ввод)'), ('interviewer', 'ввод интервьюером')], max_length=20, verbose_name='канал'),
        ),
        migrations.AlterField(
            model_name='responsetally',
            name='channel',
            field=models.CharField(choices=[('online', 'онлайн-анкета'), ('paper', 'бумажная анкета'), ('import', 'импорт из файла'), ('double_entry', 'бумажная анкета (двойной ввод)'), ('interviewer', 'ввод интервьюером')], max_length=20),
        ),
        migrations.AddIndex(
            model_name='response',
            index=models.Index(fields=['assessment', 'interviewer'], name='survey_resp_assess_interv'),
        ),
        migrations.AddConstraint(
            model_name='response',
            constraint=models.CheckConstraint(condition=models.Q(('mode__in', ['online', 'paper', 'interview', 'telephone'])), name='survey_response_mode_valid'),
        ),
        migrations.AddConstraint(
            model_name='response',
            constraint=models.CheckConstraint(condition=models.Q(('mode__in', ['interview', 'telephone']), ('interviewer__isnull', True), _connector='OR'), name='survey_response_interviewer_only_in_interviews'),
        ),
        migrations.AddConstraint(
            model_name='responsetally',
            constraint=models.UniqueConstraint(fields=('assessment', 'status', 'channel', 'mode'), name='survey_response_tally_key'),
        ),
    ]
