"""URLs of the web pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from membersuccess.web import portfolio_views, views

urlpatterns = [
    path("login/", views.MemberSuccessLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/", views.member, name="member"),
    path("portfolio/", portfolio_views.dashboard, name="dashboard"),
]
