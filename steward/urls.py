from django.contrib import admin
from django.urls import include, path

from steward.api.v1 import api as api_v1
from steward.core import views as core_views
from steward.mail.channels import webhook as mail_webhook

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api_v1.urls),
    path("accounts/", include("steward.accounts.urls")),
    path("admin/", admin.site.urls),
    path("portal/", include("steward.portal.urls")),
    path("mail/inbound/<int:mailbox_id>/", mail_webhook.receive_inbound_mail, name="mail_inbound"),
    path("mail/", include("steward.mail.urls")),
    path("time/", include("steward.work.urls")),
    path("projects/", include("steward.projects.urls_forecast")),
    path("projects/", include("steward.projects.urls")),
    path("reports/", include("steward.reports.urls")),
    path("", include("steward.clients.urls")),
    path("", include("steward.desk.urls")),
]
