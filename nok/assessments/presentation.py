"""What every page of one organization's fieldwork shares: its header and permissions."""

from __future__ import annotations

from typing import Any

from nok.assessments.models import Assessment
from nok.assessments.services import assessment_methodology
from nok.organizations.access import AnyUser, is_operator


def fieldwork_context(assessment: Assessment, user: AnyUser) -> dict[str, Any]:
    campaign = assessment.campaign
    method = assessment_methodology(assessment)
    return {
        "assessment": assessment,
        "campaign": campaign,
        "organization": assessment.organization,
        "method": method,
        "is_integral": method.scale == "integral",
        # Fieldwork is written by the operator, and only while the campaign collects data.
        "can_write": is_operator(user) and campaign.collecting,
    }
