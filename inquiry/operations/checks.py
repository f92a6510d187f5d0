import ipaddress

from django.conf import settings
from django.core.checks import Error, register


@register("operations")
def check_metrics_allowed_ips(app_configs, **kwargs):
    """A mistyped METRICS_ALLOWED_IPS entry would silently lock Prometheus out: say so at start."""
    problems = []
    for item in getattr(settings, "METRICS_ALLOWED_IPS", []):
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            problems.append(
                Error(
                    f"METRICS_ALLOWED_IPS holds {item!r}, which is neither an IP address nor a network.",
                    hint="Use addresses or networks separated by commas, e.g. 10.0.0.0/8,127.0.0.1.",
                    id="operations.E001",
                )
            )
    return problems
