from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a periodic job finished (the reminder sweep run by beat): /healthz reports
    its age, so that a beat that stopped is seen before reminders are missed."""

    name = models.CharField(_("công việc"), max_length=50, primary_key=True)
    at = models.DateTimeField(_("lần chạy gần nhất"))

    class Meta:
        verbose_name = _("nhịp chạy định kỳ")
        verbose_name_plural = _("nhịp chạy định kỳ")

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%d/%m/%Y %H:%M}"
