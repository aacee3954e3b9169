from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Swedish unless the person chose otherwise: the language cookie (set by the language
    switch), else the language saved on their account, else LANGUAGE_CODE. The browser's
    Accept-Language is not consulted: the service speaks Swedish by default."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            user = getattr(request, "user", None)
            language = (
                user.language
                if user is not None and user.is_authenticated
                else settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ["Cookie"])
        return response


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, except that a background (htmx) request after the session ended answers
    401 instead of following a redirect to the login page, so the page can say the change
    was not saved rather than silently swapping in a login form."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=401)
        return super().handle_no_permission(request, view_func)
