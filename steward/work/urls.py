from django.urls import path

from steward.work import views

app_name = "work"

# Fixed words first: "<str:week>/" would otherwise swallow "approvals/" and "capacity/".
urlpatterns = [
    path("", views.my_week, name="my_week"),
    path("approvals/", views.approvals, name="approvals"),
    path("capacity/", views.capacity, name="capacity"),
    path("capacity/<int:technician_id>/", views.capacity_edit, name="capacity_edit"),
    path("absences/", views.absence_add, name="absence_add"),
    path("absences/<int:absence_id>/delete/", views.absence_delete, name="absence_delete"),
    path("timer/start/", views.timer_start, name="timer_start"),
    path("timer/stop/", views.timer_stop, name="timer_stop"),
    path("timer/discard/", views.timer_discard, name="timer_discard"),
    path("technicians/<int:technician_id>/<str:week>/", views.technician_week, name="technician_week"),
    path("technicians/<int:technician_id>/<str:week>/approve/", views.week_approve, name="week_approve"),
    path("technicians/<int:technician_id>/<str:week>/return/", views.week_return, name="week_return"),
    path("<str:week>/", views.week_detail, name="week"),
    path("<str:week>/cell/", views.cell_update, name="cell_update"),
    path("<str:week>/rows/", views.row_add, name="row_add"),
    path("<str:week>/billable/", views.row_billable, name="row_billable"),
    path("<str:week>/copy/", views.week_copy, name="week_copy"),
    path("<str:week>/submit/", views.week_submit, name="week_submit"),
]
