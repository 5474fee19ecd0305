from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from nok.core import views as core_views

urlpatterns = [
    path("", include("nok.dashboard.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links to; unnamed, as it is no page.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"), permanent=True)),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("organizations/", include("nok.organizations.urls")),
    path("methodology/", include("nok.methodology.urls")),
    path("campaigns/", include("nok.assessments.urls")),
    path("campaigns/", include("nok.scores.urls")),
    path("reports/", include("nok.reports.urls")),
    path("results/", include("nok.reports.public_urls")),
    path("plans/", include("nok.plans.urls")),
    path("site-audit/", include("nok.siteaudit.urls")),
    path("fieldwork/", include("nok.fieldwork.urls")),
    # The public survey lives under short links: /q/<code>/
    path("", include("nok.surveys.urls")),
]

handler400 = "nok.core.views.bad_request"

# Uploaded files (checklist evidence) are never served from MEDIA_URL: they go through
# the access-checked view ``assessments:evidence``.

# gunicorn in development (`make serve` without a proxy) serves the static files itself, as
# runserver does; in production (DEBUG off) this adds nothing and the proxy serves them.
if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
