from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import path


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Member Success")


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("", home, name="home"),
]
