from django.urls import path

from steward.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.request_list, name="home"),
    path("company/", views.request_list, {"company": True}, name="company"),
    path("login/", views.sign_in, name="login"),
    path("login/link/", views.send_sign_in_link, name="send_link"),
    path("login/link/<uidb64>/<token>/", views.link_sign_in, name="link_sign_in"),
    path("logout/", views.sign_out, name="logout"),
    path("welcome/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:number>/", views.request_detail, name="request_detail"),
    path("logo/<int:client_id>/", views.client_logo, name="client_logo"),
    path("invite/<int:contact_id>/", views.invite_contact, name="invite_contact"),
]
