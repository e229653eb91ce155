from django.urls import path

from steward.projects import views_forecast as views

app_name = "forecasts"

urlpatterns = [
    path("<int:project_id>/forecast/", views.forecast_panel, name="panel"),
    path("at-risk/", views.at_risk, name="at_risk"),
    path("<int:project_id>/what-if/", views.what_if, name="project_what_if"),
    path("what-if/", views.what_if, name="what_if"),
    path("scenarios/<int:scenario_id>/run/", views.rerun_scenario, name="rerun_scenario"),
    path("scenarios/<int:scenario_id>/apply/", views.apply_scenario, name="apply_scenario"),
    path("scenarios/<int:scenario_id>/delete/", views.delete_scenario, name="delete_scenario"),
]
