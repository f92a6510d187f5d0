from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What an operator runs the site with: backups, structured logs, error reporting, metrics."""

    name = "inquiry.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system check
        from .metrics import connect_fault_counters

        connect_fault_counters()
