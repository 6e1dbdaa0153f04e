"""What invalidates the reports' cached figures (core.versioned "reports"): any save or
delete of a report, a value, a period, its catalogue, its list of offices, an organisation
or an administrative unit — whichever service, import or admin page made it."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core import versioned


def connect() -> None:
    from directory.models import AdministrativeUnit, Organisation

    from .models import Indicator, Report, ReportingPeriod, ReportValue, Section

    receiver = versioned.bumper("reports")
    for model in (Report, ReportValue, ReportingPeriod, Section, Indicator, Organisation, AdministrativeUnit):
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"reports-version-save-{model.__name__}")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"reports-version-del-{model.__name__}")
    m2m_changed.connect(
        receiver,
        sender=ReportingPeriod.required_organisations.through,
        weak=False,
        dispatch_uid="reports-version-required",
    )
