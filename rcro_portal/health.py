"""The health endpoint for the load balancer (django-health-check): the database always; the
cache (Redis) and a Celery worker when a broker is configured."""

import datetime

from django.conf import settings
from health_check.views import HealthCheckView


def health_checks() -> list:
    checks: list = ["health_check.checks.Database"]
    if settings.REDIS_URL:
        checks.append("health_check.checks.Cache")
        checks.append(
            ("health_check.contrib.celery.Ping", {"timeout": datetime.timedelta(seconds=2), "limit": 1})
        )
    return checks


class HealthView(HealthCheckView):
    def get_checks(self):
        self.checks = health_checks()
        return super().get_checks()
