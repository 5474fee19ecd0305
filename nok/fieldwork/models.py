"""The interviewers' fieldwork (interview and telephone modes of the survey).

The responses themselves are ``nok.surveys.Response`` rows (mode «интервью» or «телефонный
опрос», with their interviewer); this app keeps what surrounds them.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from nok.assessments.models import Assessment


class CallOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", "нет ответа"
    REFUSED = "refused", "отказ"
    CALLBACK = "callback", "перезвонить"
    COMPLETED = "completed", "опрос проведён"


# Outcomes after which a number is not called again.
FINAL_OUTCOMES = (CallOutcome.REFUSED, CallOutcome.COMPLETED)
ATTEMPT_LIMIT_DEFAULT = 3
# A number claimed by an interviewer who then went silent returns to the others after this.
CLAIM_TIMEOUT = timedelta(minutes=30)
ATTEMPT_LIMIT_MAX = 10


class CallList(models.Model):
    """The telephone numbers an organization gave for its telephone survey in one campaign.

    Anonymity by design: a call list holds numbers only (no names, no other column), it has no
    relation to any survey response and no response to it, and nothing in it records when a
    number was interviewed or by whom — the interviewer's claim on a number is cleared when the
    call's outcome is recorded. Only the interviewers assigned to the organization see the
    numbers; the list is deleted when the campaign is published (``call_lists_delete``).
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="call_list", verbose_name="оценка",
    )
    attempt_limit = models.PositiveSmallIntegerField(
        "попыток дозвониться до номера", default=ATTEMPT_LIMIT_DEFAULT,
        validators=[MinValueValidator(1), MaxValueValidator(ATTEMPT_LIMIT_MAX)],
    )

    class Meta:
        verbose_name = "список для телефонного опроса"
        verbose_name_plural = "списки для телефонного опроса"

    def __str__(self) -> str:
        return f"Список для телефонного опроса (оценка {self.assessment_id})"


class CallEntry(models.Model):
    """One number of a call list, worked through in a random order (``rank``, drawn at the
    upload) with at most ``attempt_limit`` calls."""

    call_list = models.ForeignKey(CallList, on_delete=models.CASCADE, related_name="entries")
    phone = models.CharField("номер телефона", max_length=12)  # +7XXXXXXXXXX
    rank = models.PositiveIntegerField()  # random: the order in which numbers are called
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    outcome = models.CharField("итог последнего звонка", max_length=20, blank=True,
                               choices=CallOutcome.choices)
    # Who is calling the number right now (cleared with the outcome): two interviewers never
    # dial the same number at once.
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["call_list", "attempts", "rank"]
        verbose_name = "номер списка для телефонного опроса"
        verbose_name_plural = "номера списков для телефонного опроса"
        constraints = [
            models.UniqueConstraint(fields=["call_list", "phone"], name="call_entry_phone_once"),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome__in=CallOutcome.values),
                name="call_entry_outcome_valid"),
        ]
        indexes = [models.Index(fields=["call_list", "outcome", "attempts", "rank"],
                                name="call_entry_next")]

    def __str__(self) -> str:
        return f"Номер {self.pk} списка {self.call_list_id}"
