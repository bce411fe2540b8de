from django.urls import path

from .calendar_views import CalendarView

app_name = "calendar"

urlpatterns = [
    path("", CalendarView.as_view(), name="year"),
    path("<int:year>/", CalendarView.as_view(), name="year-of"),
]
