from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from nok.core.models import TimeStamped
from nok.organizations.validators import validate_inn


class Role(models.TextChoices):
    OPERATOR = "operator", "Оператор"
    MINISTRY = "ministry", "Министерство"
    COUNCIL = "council", "Общественный совет"
    ORGANIZATION = "organization", "Организация"
    INTERVIEWER = "interviewer", "Интервьюер"


class ServiceForm(models.TextChoices):
    """Service forms; the keys are those of the assessment file and methodology data."""

    STATIONARY = "stationary", "стационарная"
    SEMI_STATIONARY = "semi_stationary", "полустационарная"
    HOME = "home", "надомная"


def service_forms(stationary: bool, semi_stationary: bool, home: bool) -> tuple[str, ...]:
    """The keys of the service forms offered, in the canonical order."""
    flags = ((ServiceForm.STATIONARY, stationary), (ServiceForm.SEMI_STATIONARY, semi_stationary),
             (ServiceForm.HOME, home))
    return tuple(str(form.value) for form, offered in flags if offered)


class OrganizationType(models.Model):
    name = models.CharField("тип организации", max_length=200, unique=True)
    short_name = models.CharField("краткое название", max_length=60, blank=True)
    builtin = models.BooleanField("встроенный", default=False)
    position = models.PositiveIntegerField("порядок", default=100)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "тип организации"
        verbose_name_plural = "типы организаций"

    def __str__(self) -> str:
        return self.short_name or self.name


class Organization(TimeStamped):
    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200, blank=True)
    inn = models.CharField("ИНН", max_length=12, blank=True, validators=[validate_inn])
    type = models.ForeignKey(OrganizationType, on_delete=models.PROTECT, verbose_name="тип")
    has_stationary = models.BooleanField("стационарная форма", default=False)
    has_semi_stationary = models.BooleanField("полустационарная форма", default=False)
    has_home = models.BooleanField("надомная форма", default=False)
    recipients_stationary = models.PositiveIntegerField("получателей (стационар)", default=0)
    recipients_semi_stationary = models.PositiveIntegerField("получателей (полустационар)", default=0)
    recipients_home = models.PositiveIntegerField("получателей (на дому)", default=0)
    address = models.CharField("адрес", max_length=500, blank=True)
    website = models.URLField("сайт", blank=True)
    region = models.CharField("регион", max_length=200, blank=True)
    municipality = models.CharField("муниципальное образование", max_length=200, blank=True)

    class Meta:
        ordering = ["type__position", "name"]
        verbose_name = "организация"
        verbose_name_plural = "организации"
        constraints = [
            models.UniqueConstraint(
                fields=["inn"], condition=~models.Q(inn=""), name="organization_inn_unique",
                violation_error_message="Организация с таким ИНН уже есть в реестре",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        errors = {
            f"recipients_{key}": f"Получатели указаны для формы «{label}», которая не отмечена"
            for key, label, offered, recipients in self.form_rows
            if recipients and not offered
        }
        if errors:
            raise ValidationError(errors)

    @property
    def forms(self) -> tuple[str, ...]:
        """Service form keys offered, in the canonical order."""
        return service_forms(self.has_stationary, self.has_semi_stationary, self.has_home)

    @property
    def form_rows(self) -> list[tuple[str, str, bool, int]]:
        """(key, label, offered, recipients) for each service form, in the canonical order."""
        return [
            (ServiceForm.STATIONARY.value, ServiceForm.STATIONARY.label,
             self.has_stationary, self.recipients_stationary),
            (ServiceForm.SEMI_STATIONARY.value, ServiceForm.SEMI_STATIONARY.label,
             self.has_semi_stationary, self.recipients_semi_stationary),
            (ServiceForm.HOME.value, ServiceForm.HOME.label, self.has_home, self.recipients_home),
        ]

    @property
    def recipients(self) -> int:
        return self.recipients_stationary + self.recipients_semi_stationary + self.recipients_home


class Membership(models.Model):
    """A user's single role; organization users are tied to one organization."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField("роль", max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="members",
        verbose_name="организация",
    )

    class Meta:
        verbose_name = "роль пользователя"
        verbose_name_plural = "роли пользователей"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="organization", organization__isnull=False)
                           | (~models.Q(role="organization") & models.Q(organization__isnull=True))),
                name="membership_organization_iff_org_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class InterviewerAssignment(models.Model):
    """An organization the operator assigned to an interviewer: the interviewer sees it (and
    only the organizations assigned), interviews its recipients and works through its call
    list. An interview of an organization not assigned is flagged for the operator."""

    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviewer_assignments",
        verbose_name="интервьюер",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="interviewer_assignments",
        verbose_name="организация",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="назначил",
    )
    assigned_at = models.DateTimeField("назначено", auto_now_add=True)

    class Meta:
        ordering = ["interviewer", "organization__name"]
        verbose_name = "назначение интервьюера"
        verbose_name_plural = "назначения интервьюеров"
        constraints = [
            models.UniqueConstraint(fields=["interviewer", "organization"],
                                    name="interviewer_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} — {self.organization}"
