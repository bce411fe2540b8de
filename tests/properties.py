"""What every property-based test over the portal's views shares (hypothesis)."""

import os

from hypothesis import HealthCheck, settings

# Each example is a request against the database: a bounded number by default, more on demand
# (HYPOTHESIS_EXAMPLES=500 make test); no deadline, as a request's time is not the property.
PROPERTY = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 40)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
