from django.urls import path

from steward.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_new, name="new"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:template_id>/", views.template_detail, name="template"),
    path("<int:project_id>/", views.project_detail, name="detail"),
    path("<int:project_id>/edit/", views.project_edit, name="edit"),
    path("<int:project_id>/move/", views.project_move, name="move"),
    path("<int:project_id>/board/", views.project_board, name="board"),
    path("<int:project_id>/timeline/", views.project_timeline, name="timeline"),
    path("<int:project_id>/tasks/", views.task_add, name="task_add"),
    path("<int:project_id>/phases/", views.phase_add, name="phase_add"),
    path("<int:project_id>/tickets/", views.ticket_link, name="ticket_link"),
    path("<int:project_id>/tickets/<int:number>/unlink/", views.ticket_unlink, name="ticket_unlink"),
    path("phases/<int:phase_id>/rename/", views.phase_rename, name="phase_rename"),
    path("tasks/<int:task_id>/", views.task_row, name="task_row"),
    path("tasks/<int:task_id>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<int:task_id>/status/", views.task_status, name="task_status"),
    path("tasks/<int:task_id>/re-estimate/", views.task_re_estimate, name="task_re_estimate"),
]
