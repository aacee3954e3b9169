from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Jämbench administration")
admin.site.site_title = "Jämbench"

urlpatterns = [
    path("", include("programmes.urls")),
    path("", include("meetings.urls")),
    path("", include("checklists.urls")),
    path("", include("keyfigures.urls")),
    path("", include("plans.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz/", views.healthz, name="healthz"),
    path("livez/", views.livez, name="livez"),
    path("admin/", admin.site.urls),
]
