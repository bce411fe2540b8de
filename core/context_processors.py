from django.conf import settings


def portal(request):
    context = {"PORTAL_NAME": settings.PORTAL_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from .models import Notification

        context["unread_count"] = Notification.objects.for_user(user).unread().count()
    return context
