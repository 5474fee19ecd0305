"""Interviewers and their interviews for the fieldwork tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from nok.assessments.models import Assessment
from nok.fieldwork.services import interview_record
from nok.organizations.models import InterviewerAssignment, Organization, Role
from nok.organizations.tests.factories import make_user
from nok.surveys.models import Response
from nok.surveys.tests.factories import ALL_YES_NO_SITE


def make_interviewer(username: str = "interviewer", *organizations: Organization) -> User:
    user = make_user(username, Role.INTERVIEWER)
    for organization in organizations:
        InterviewerAssignment.objects.create(interviewer=user, organization=organization)
    return user


def make_interview(
    assessment: Assessment, interviewer: User, *, mode: str = "interview", minutes: int = 10,
    answers: dict[str, str] | None = None, at: dt.datetime | None = None, **kwargs: Any,
) -> Response:
    """An interview of ``minutes`` (ten: long enough for every check) ending ``at`` (now)."""
    end = at or timezone.now()
    response, _ = interview_record(
        assessment=assessment, interviewer=interviewer,
        answers=ALL_YES_NO_SITE if answers is None else answers, mode=mode,
        client_id=kwargs.pop("client_id", uuid.uuid4()),
        started_at=end - dt.timedelta(minutes=minutes), submitted_at=end, **kwargs,
    )
    return response
