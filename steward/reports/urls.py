from django.urls import path

from steward.reports import views

app_name = "reports"

urlpatterns = [
    path("hours/", views.hours_dashboard, name="hours"),
    path("hours/export.csv", views.hours_export, name="hours_export"),
]
