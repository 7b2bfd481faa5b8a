from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from measures import views as measures_views
from ops import views as ops_views
from satun_ita import views as project_views
from transparency import seo

admin.site.site_header = _("ITA portal administration")
admin.site.site_title = _("ITA portal")
admin.site.index_title = _("Plan, agencies, periods and users")

urlpatterns = [
    path("", project_views.home, name="home"),
    path("plan/", measures_views.plan, name="plan"),
    path("plan/<int:year>/", measures_views.plan, name="plan_year"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", ops_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
    path("", include("transparency.urls")),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", seo.sitemap, name="sitemap_section"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
]
