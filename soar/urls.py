from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from editor import views as editor_views
from engine import views as engine_views
from soar import views
from soar.rest.resource import field_urlpatterns

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("playbooks/", editor_views.playbook_list, name="playbook-list"),
    path("playbooks/<id:pk>/edit", editor_views.playbook_edit, name="playbook-edit"),
    path("runs/<id:pk>", engine_views.run_page, name="run-page"),
    path("rest/", include("engine.rest")),
    path("rest/", include("editor.rest")),
    # After every family's routes: `<type>/<id>/<field>` must not hide their sub-resources.
    path("rest/", include(field_urlpatterns())),
    path("api/", include("editor.api")),
    path("api/", include("engine.api")),
    path("api/", include("engine.runs_web")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # Last: whatever else is under /rest/ or /api/ answers the API's JSON 404.
    re_path(r"^(?:rest|api)/(?P<path>[\s\S]*)\Z", views.api_not_found, name="api-not-found"),
]
