from django.apps import AppConfig


class DesksConfig(AppConfig):
    """What gathers across the domain apps: the home desks and dashboards, the park page, the demo data
    of every app, the worker self-check. It sits above the domain apps; ``core`` stays below them all."""

    name = "desks"
