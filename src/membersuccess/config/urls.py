"""URL wiring: the web pages, the REST API and the Django admin."""

from django.contrib import admin
from django.urls import include, path

from membersuccess.api.router import api

admin.site.site_header = "Member Success administration"
admin.site.site_title = "Member Success"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("membersuccess.web.urls")),
]
