import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import YearFilter, YesNoFilter
from parks.filters import visible_parks
from parks.models import Park

from .choices import AppointmentSource, AppointmentStatus, ObservationCategory, ObservationStatus
from .models import Appointment, Observation


def observation_parks(request):
    """The parks a list may be filtered by: a supervisor's are those of their appointments."""
    user = request.user if request else None
    if user is not None and getattr(user, "is_supervisor", False):
        return Park.objects.filter(pk__in=Appointment.objects.visible_to(user).values("parks"))
    return visible_parks(request)


class ObservationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=observation_parks, empty_label=_("All parks"))
    category = django_filters.ChoiceFilter(
        label=_("category"), choices=ObservationCategory.choices, empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=ObservationStatus.choices, empty_label=_("Any"))
    overdue = YesNoFilter(label=_("overdue"), method="filter_overdue")
    asked = YesNoFilter(label=_("asked for more"), field_name="times_asked", lookup_expr="gt", method="filter_asked")
    year = YearFilter(label=_("year"), field_name="submitted_at")
    appointment = django_filters.NumberFilter(label=_("appointment"), field_name="appointment", min_value=1)

    class Meta:
        model = Observation
        fields = ["q", "park", "category", "status", "overdue", "asked", "year", "appointment"]

    def filter_asked(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(times_asked__gt=0) if value else queryset.filter(times_asked=0)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value) | Q(unit_named__icontains=value) | Q(place__icontains=value)
        )

    def filter_overdue(self, queryset, name, value):
        """Submitted and waiting for the inspectors past its time limit."""
        if value is None:
            return queryset
        late = Q(status=ObservationStatus.SUBMITTED, due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class AppointmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    park = django_filters.ModelChoiceFilter(
        label=_("park"), queryset=visible_parks, field_name="parks", empty_label=_("All parks")
    )
    source = django_filters.ChoiceFilter(
        label=_("appointed from"), choices=AppointmentSource.choices, empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=AppointmentStatus.choices, empty_label=_("Any"), method="filter_status"
    )

    class Meta:
        model = Appointment
        fields = ["q", "park", "source", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(supervisor__name__icontains=value) | Q(supervisor__username__icontains=value))

    def filter_status(self, queryset, name, value):
        """As the list shows it: a serving appointment past its term is expired."""
        today = timezone.localdate()
        past = Q(status=AppointmentStatus.SERVING, ends_on__lt=today)
        if value == AppointmentStatus.EXPIRED:
            return queryset.filter(past | Q(status=AppointmentStatus.EXPIRED))
        if value == AppointmentStatus.SERVING:
            return queryset.filter(status=AppointmentStatus.SERVING).exclude(past)
        return queryset.filter(status=value)
