from django.urls import path

from steward.clients import views

app_name = "clients"

urlpatterns = [
    path("clients/", views.client_list, name="client_list"),
    path("clients/new/", views.client_create, name="client_create"),
    path("clients/import/", views.client_import, name="client_import"),
    path("clients/import/confirm/", views.client_import_confirm, name="client_import_confirm"),
    path("clients/<int:client_id>/", views.client_detail, name="client_detail"),
    path("clients/<int:client_id>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:client_id>/sites/new/", views.site_create, name="site_create"),
    path("clients/<int:client_id>/contacts/new/", views.contact_create, name="contact_create"),
    path("clients/<int:client_id>/contracts/new/", views.contract_create, name="contract_create"),
    path("sites/<int:site_id>/edit/", views.site_edit, name="site_edit"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("contracts/<int:contract_id>/edit/", views.contract_edit, name="contract_edit"),
]
