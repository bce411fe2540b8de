"""Session time limits: a session ends SESSION_IDLE_MINUTES after its last request, and SESSION_COOKIE_AGE after
its login however active it was. Only sessions are concerned; an API token request carries no session."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout, user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

LOGGED_IN_AT = "portal_logged_in_at"  # epoch seconds, set at login, never moved
SEEN_AT = "portal_seen_at"  # epoch seconds of the last request, refreshed at most once a minute
REFRESH_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="accounts.sessions.stamp_login")
def stamp_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:  # a session login, not an API token being issued
        now = int(time.time())
        session[LOGGED_IN_AT] = session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware. Ends an idle or too old session and lets the view
    answer as for anyone not logged in: a page redirects to the login page (``next`` kept), which shows why;
    the API answers not_authenticated. Saves the session at most once a minute, and the refresh of the
    activity stamp does not prolong the absolute limit (the login time is kept apart)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            self.check(request, session, int(time.time()))
        return self.get_response(request)

    def check(self, request, session, now: int) -> None:
        logged_in_at, seen_at = session.get(LOGGED_IN_AT), session.get(SEEN_AT)
        if not isinstance(logged_in_at, int) or not isinstance(seen_at, int):
            session[LOGGED_IN_AT] = session[SEEN_AT] = now  # a session from before these limits
            return
        if now - logged_in_at >= settings.SESSION_COOKIE_AGE:
            logout(request)
            messages.info(request, _("You were logged in for too long; please log in again."))
        elif now - seen_at >= settings.SESSION_IDLE_MINUTES * 60:
            logout(request)
            messages.info(
                request,
                _("You were logged out after %(minutes)d minutes without activity; please log in again.")
                % {"minutes": settings.SESSION_IDLE_MINUTES},
            )
        elif now - seen_at >= REFRESH_SECONDS:
            session[SEEN_AT] = now
