from django.urls import path

from .views import public, staff

app_name = "complaints"

urlpatterns = [
    # Printed on posters and behind QR codes: these addresses never change.
    path("report/", public.choose_park, name="choose-park"),
    path("report/<str:code>/", public.ReportView.as_view(), name="report"),
    path("track/", public.TrackView.as_view(), name="track"),
    # Public, but not printed.
    path("report/<str:code>/qr.<str:fmt>", public.qr_code, name="qr"),
    path("report/<str:code>/poster/", public.poster, name="poster"),
    path("track/receipt/", public.receipt, name="receipt"),
    path("track/<int:pk>/", public.TrackedComplaintView.as_view(), name="tracked"),
    path("attachments/<int:pk>/", staff.attachment, name="attachment"),
    # Staff.
    path("complaints/", staff.ComplaintListView.as_view(), name="list"),
    path("complaints/<int:pk>/", staff.ComplaintDetailView.as_view(), name="detail"),
    path("my/complaints/", staff.MyComplaintsView.as_view(), name="mine"),
]
