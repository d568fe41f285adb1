from __future__ import annotations

from django.urls import include, path

from vern.cases import views as case_views
from vern.chronology import views as chronology_views
from vern.core import views_auth, views_unit
from vern.decisions import views as decision_views
from vern.intake import views as intake_views
from vern.intake.digital import views as digital_views
from vern.investigations import views as investigation_views
from vern.measures import views as measure_views
from vern.referrals import views as referral_views
from vern.register import views as register_views
from vern.reports import views as report_views
from vern.worklists import views as worklist_views

core_patterns = (
    [
        path("logg-inn/", views_auth.login_view, name="login"),
        path("logg-inn/kode/", views_auth.totp_view, name="totp"),
        path("logg-inn/tofaktor/", views_auth.enrol_view, name="enrol"),
        path("logg-ut/", views_auth.logout_view, name="logout"),
        path("enhet/innstillinger/", views_unit.unit_settings, name="unit_settings"),
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
        path("karantene/", digital_views.quarantine_list, name="quarantine"),
        path("karantene/<str:reference>/", digital_views.quarantine_detail, name="quarantined"),
        path("<int:report_id>/", intake_views.report_detail, name="report"),
        path("<int:report_id>/pdf/", intake_views.report_pdf, name="report_pdf"),
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
decision_patterns = (
    [
        path("saker/<int:case_id>/vedtak/ny/", decision_views.decision_new, name="new"),
        path("vedtak/<int:decision_id>/", decision_views.decision_detail, name="detail"),
        path("enhet/delegering/", decision_views.delegation_rules, name="delegation"),
    ],
    "decisions",
)
measure_patterns = (
    [
        path("vedtak/<int:decision_id>/tiltak/ny/", measure_views.measure_new, name="new"),
        path("tiltak/<int:measure_id>/", measure_views.measure_detail, name="detail"),
        path("saker/<int:case_id>/planer/ny/", measure_views.plan_new, name="plan_new"),
        path("planer/<int:plan_id>/", measure_views.plan_detail, name="plan"),
        path("saker/<int:case_id>/ettervern/", measure_views.aftercare, name="aftercare"),
        path("enhet/tilsynsforere/", measure_views.supervisors, name="supervisors"),
        path("enhet/besok/", measure_views.compliance, name="compliance"),
        path("enhet/planer/", measure_views.plan_settings, name="plan_settings"),
    ],
    "measures",
)
register_patterns = (
    [
        path("saker/<int:case_id>/register/", register_views.case_control, name="case"),
        path("enhet/register/", register_views.unit_control, name="unit"),
        path(
            "enhet/register/leveranser/<uuid:delivery_id>/",
            register_views.delivery_file,
            name="delivery_file",
        ),
    ],
    "register",
)
report_patterns = (
    [
        path("enhet/rapporter/maned/", report_views.monthly, name="monthly"),
        path("enhet/rapporter/tilstand/", report_views.status, name="status"),
        path("enhet/rapporter/variasjon/", report_views.compare, name="variation"),
        path("enhet/rapporter/grupper/", report_views.comparison_groups, name="groups"),
        path("enhet/befolkning/", report_views.population, name="population"),
        path("enhet/rapporter/grupper/ny/", report_views.comparison_group, name="group_new"),
        path("enhet/rapporter/grupper/<int:group_id>/", report_views.comparison_group, name="group"),
    ],
    "reports",
)
referral_patterns = (
    [
        path("tiltaksvifte/", referral_views.catalogue, name="catalogue"),
        path("saker/<int:case_id>/henvisninger/ny/<int:entry_id>/", referral_views.order, name="order"),
        path("henvisninger/<int:referral_id>/", referral_views.detail, name="detail"),
        path("tilbyder/henvisninger/", referral_views.provider_intake, name="intake"),
        path("tilbyder/tiltak/", referral_views.provider_catalogue, name="provider_catalogue"),
        path("tilbyder/fakturagrunnlag/", referral_views.provider_statements, name="statements"),
        path("tilbyder/belegg/", referral_views.provider_occupancy, name="occupancy"),
        path("enhet/tiltakskostnader/", referral_views.ordering_costs, name="costs"),
    ],
    "referrals",
)
chronology_patterns = (
    [path("saker/<int:case_id>/kronologi/", chronology_views.case_chronology, name="case")],
    "chronology",
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
    # Without login: the public form, and the endpoint for systems delivering digital reports.
    path("bekymringsmelding/", digital_views.public_form, name="public_form"),
    path("bekymringsmelding/kvittering/", digital_views.public_receipt, name="public_receipt"),
    path("api/bekymringsmeldinger/", digital_views.receive, name="api_receive"),
    path("", include(core_patterns)),
    path("saker/", include(case_patterns)),
    path("meldinger/", include(intake_patterns)),
    path("undersokelser/", include(investigation_patterns)),
    path("frister/", include(worklist_patterns)),
    path("", include(decision_patterns)),
    path("", include(measure_patterns)),
    path("", include(chronology_patterns)),
    path("", include(register_patterns)),
    path("", include(report_patterns)),
    path("", include(referral_patterns)),
]
