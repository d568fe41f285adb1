from __future__ import annotations

from django.urls import include, path

from vern.cases import views as case_views
from vern.core import views_auth
from vern.intake import views as intake_views
from vern.investigations import views as investigation_views
from vern.worklists import views as worklist_views

core_patterns = (
    [
        path("logg-inn/", views_auth.login_view, name="login"),
        path("logg-inn/kode/", views_auth.totp_view, name="totp"),
        path("logg-inn/tofaktor/", views_auth.enrol_view, name="enrol"),
        path("logg-ut/", views_auth.logout_view, name="logout"),
    ],
    "core",
)
case_patterns = (
    [
        path("", case_views.case_list, name="list"),
        path("<int:case_id>/", case_views.case_detail, name="detail"),
        path("<int:case_id>/tilgangslogg/", case_views.access_log, name="access_log"),
    ],
    "cases",
)
intake_patterns = (
    [
        path("", intake_views.intake_list, name="list"),
        path("ny/", intake_views.report_new, name="new"),
        path("<int:report_id>/", intake_views.report_detail, name="report"),
        path(
            "<int:report_id>/undersokelse/", investigation_views.investigation_open, name="open_investigation"
        ),
    ],
    "intake",
)
investigation_patterns = (
    [path("<int:investigation_id>/", investigation_views.investigation_detail, name="detail")],
    "investigations",
)
worklist_patterns = (
    [
        path("", worklist_views.mine, name="mine"),
        path("enhet/", worklist_views.unit_overview, name="unit"),
        path("arsak/<str:clock>/<int:object_id>/", worklist_views.breach_reason, name="breach_reason"),
    ],
    "worklists",
)

urlpatterns = [
    path("", views_auth.home, name="home"),
    path("", include(core_patterns)),
    path("saker/", include(case_patterns)),
    path("meldinger/", include(intake_patterns)),
    path("undersokelser/", include(investigation_patterns)),
    path("frister/", include(worklist_patterns)),
]
