from django.urls import path

from clusterdesk.accounts import views

# Not namespaced: Django's auth machinery (LOGIN_URL, the admin) looks these names up as they are.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
