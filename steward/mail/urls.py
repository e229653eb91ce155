from django.urls import path

from steward.mail import views

app_name = "mail"

urlpatterns = [
    path("", views.mailbox_list, name="mailbox_list"),
    path("mailboxes/new/", views.mailbox_new, name="mailbox_new"),
    path("mailboxes/<int:mailbox_id>/", views.mailbox_edit, name="mailbox_edit"),
    path("mailboxes/<int:mailbox_id>/check/", views.mailbox_check, name="mailbox_check"),
    path("messages/", views.inbound_list, name="inbound_list"),
    path("messages/<int:message_id>/retry/", views.inbound_retry, name="inbound_retry"),
    path("messages/<int:message_id>/original.eml", views.inbound_download, name="inbound_download"),
    path("outbox/", views.outbound_list, name="outbound_list"),
    path("outbox/<int:outbound_id>/retry/", views.outbound_retry, name="outbound_retry"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<str:kind>/", views.template_edit, name="template_edit"),
]
