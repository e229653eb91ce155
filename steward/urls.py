from django.contrib import admin
from django.urls import include, path

from steward.api.v1 import api as api_v1
from steward.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api_v1.urls),
    path("accounts/", include("steward.accounts.urls")),
    path("admin/", admin.site.urls),
    path("portal/", include("steward.portal.urls")),
    path("", include("steward.clients.urls")),
    path("", include("steward.desk.urls")),
]
