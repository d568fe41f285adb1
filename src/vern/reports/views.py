"""Report pages for leaders and auditors: the monthly report, the annual status report (with the
leader's text sections) and the variation between the units of a comparison group. Each page
downloads as Excel (every table on it), and the status report also as PDF and JSON.

Reports hold aggregates only; no case is read, so no audit row is written.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from vern.core.access import has_role, units_with_role
from vern.core.dates import today
from vern.core.models import Role, Unit
from vern.core.views import (
    Action,
    any_errors,
    attachment,
    chosen_unit,
    handle_actions,
    request_user,
    run_service,
)
from vern.reports import excel, output, services
from vern.reports.build import Report, monthly_report, status_json, status_report, subject_of, variation
from vern.reports.indicators import FIRST_YEAR, Period, parse_month, parse_year, previous_month
from vern.reports.models import Population, ReportText, UnitGroup

VIEWERS = (Role.LEADER, Role.AUDITOR)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(str.maketrans("æøå", "eoa"))).strip("-")


def _excel(report: Report, name: str) -> HttpResponse:
    return attachment(output.workbook(report), excel.XLSX_CONTENT_TYPE, f"{name}.xlsx")


def _year(request: HttpRequest, default: int) -> tuple[int, str]:
    """The chosen year (``?ar=``), or the default and why the chosen one was refused."""
    chosen = parse_year(request.GET.get("ar") or str(default), latest=today().year)
    if chosen is None:
        return default, _("Choose a year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": today().year,
        }
    return chosen, ""


def chosen_month(text: str) -> tuple[Period, str]:
    """The month ``?maned=YYYY-MM`` names (the month so far may be chosen), by default the last whole
    month; or the default and why the chosen one was refused."""
    default = previous_month(today())
    if not text:
        return default, ""
    chosen = parse_month(text, latest=today())
    if chosen is None:
        return default, _("Choose a month from January %(first)s up to this month.") % {"first": FIRST_YEAR}
    return chosen, ""


def monthly(request: HttpRequest) -> HttpResponse:
    unit, units = chosen_unit(request, VIEWERS)
    period, error = chosen_month(request.GET.get("maned") or "")
    report = monthly_report(unit, period.start.year, period.start.month)
    if request.GET.get("format") == "xlsx" and not error:
        return _excel(report, f"manedsrapport-{_slug(unit.name)}-{period.start:%Y-%m}")
    context = {
        "unit": unit,
        "units": units,
        "report": report,
        "month": f"{period.start:%Y-%m}",
        "max_month": f"{today():%Y-%m}",
        "error": error,
    }
    return render(request, "reports/monthly.html", context, status=400 if error else 200)


class TextForm(forms.Form):
    summary = forms.CharField(
        label=gettext_lazy("Summary"), required=False, widget=forms.Textarea, max_length=20_000
    )
    assessment = forms.CharField(
        label=gettext_lazy("The leader's assessment of the service"),
        required=False,
        widget=forms.Textarea,
        max_length=20_000,
    )
    goals = forms.CharField(
        label=gettext_lazy("Goals and measures for the coming year"),
        required=False,
        widget=forms.Textarea,
        max_length=20_000,
    )


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    unit, units = chosen_unit(request, VIEWERS)
    user = request_user(request)
    year, error = _year(request, today().year - 1)
    may_write = has_role(user, unit, [Role.LEADER])
    existing = {t.section: t.text for t in ReportText.objects.filter(unit=unit, year=year)}
    form = TextForm(initial=existing)
    if request.method == "POST":
        if not may_write:
            raise Http404
        form = TextForm(request.POST)
        if form.is_valid():
            for section in ReportText.Section.values:
                ReportText.objects.update_or_create(
                    unit=unit,
                    year=year,
                    section=section,
                    defaults={"text": form.cleaned_data[section], "written_by": user},
                )
            messages.success(request, _("The text of the status report is saved."))
            return redirect(f"{reverse('reports:status')}?enhet={unit.pk}&ar={year}")
    kind = None if error else request.GET.get("format")
    name = f"tilstandsrapport-{_slug(unit.name)}-{year}"
    if kind == "json":
        response = JsonResponse(
            status_json(subject_of(unit), year), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    report = status_report(subject_of(unit), year)
    if kind == "xlsx":
        return _excel(report, name)
    if kind == "pdf":
        return attachment(output.document_pdf(report), "application/pdf", f"{name}.pdf")
    context = {
        "unit": unit,
        "units": units,
        "report": report,
        "year": year,
        "years": list(range(today().year, today().year - 10, -1)),
        "form": form,
        "may_write": may_write,
        "error": error,
    }
    return render(request, "reports/status.html", context, status=400 if form.errors or error else 200)


def groups_for(request: HttpRequest) -> list[UnitGroup]:
    """The comparison groups with a unit where the user is a leader or an auditor."""
    unit_ids = units_with_role(request_user(request), VIEWERS)
    return list(UnitGroup.objects.filter(units__in=unit_ids).distinct().order_by("name"))


def compare(request: HttpRequest) -> HttpResponse:
    groups = groups_for(request)
    user = request_user(request)
    leads = bool(units_with_role(user, [Role.LEADER]))
    if not groups:
        if not units_with_role(user, VIEWERS):
            raise Http404
        # A unit in no comparison group yet: a leader makes one here.
        return render(request, "reports/variation.html", {"group": None, "leads": leads})
    chosen = request.GET.get("gruppe") or ""
    group = next((g for g in groups if str(g.pk) == chosen), groups[0])
    year, error = _year(request, today().year - 1)
    result = variation(group, year)
    if request.GET.get("format") == "xlsx" and not error:
        data = excel.workbook(result.tables, title=f"{group.name} {year}")
        return attachment(data, excel.XLSX_CONTENT_TYPE, f"variasjon-{_slug(group.name)}-{year}.xlsx")
    context = {
        "groups": groups,
        "group": group,
        "year": year,
        "years": list(range(today().year, today().year - 10, -1)),
        "result": result,
        "error": error,
        "leads": leads,
        "may_change": group in services.groups_led_by(user),
    }
    return render(request, "reports/variation.html", context, status=400 if error else 200)


class GroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the group"), max_length=services.NAME_LENGTH)
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units compared"),
        help_text=gettext_lazy("The group's leaders and auditors see its figures: aggregates only, no case."),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        units.queryset = services.comparable_units()


def comparison_groups(request: HttpRequest) -> HttpResponse:
    """A leader's comparison groups: those with a unit they lead, each to change, and a new one."""
    user = request_user(request)
    if not units_with_role(user, [Role.LEADER]):
        raise Http404
    groups = [(g, list(g.units.order_by("name"))) for g in services.groups_led_by(user)]
    return render(request, "reports/groups.html", {"groups": groups})


@require_http_methods(["GET", "POST"])
def comparison_group(request: HttpRequest, group_id: int | None = None) -> HttpResponse:
    """Make a comparison group (with a unit the leader leads), or change one of theirs."""
    user = request_user(request)
    led = units_with_role(user, [Role.LEADER])
    if not led:
        raise Http404
    group = None
    if group_id is not None:
        group = next((g for g in services.groups_led_by(user) if g.pk == group_id), None)
        if group is None:
            raise Http404
    initial = {"name": group.name, "units": list(group.units.all())} if group else {"units": led}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.unit_group_save(
                name=form.cleaned_data["name"], units=form.cleaned_data["units"], by=user, group=group
            ),
        )
        if saved is not None:
            messages.success(request, _("The comparison group is saved."))
            return redirect(f"{reverse('reports:variation')}?gruppe={saved.pk}")
    context = {"form": form, "group": group}
    return render(request, "reports/group.html", context, status=400 if form.errors else 200)


class PopulationForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=services.FIRST_POPULATION_YEAR)
    children = forms.IntegerField(label=gettext_lazy("Children 0–17 living in the area"), min_value=1)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        help_text=gettext_lazy("For example Statistics Norway, table 07459, as of 1 January."),
        required=False,
        max_length=services.SOURCE_LENGTH,
    )


@require_http_methods(["GET", "POST"])
def population(request: HttpRequest) -> HttpResponse:
    """A leader enters the unit's children 0–17 per year, the denominator of the rates per 1,000."""
    unit, units = chosen_unit(request, [Role.LEADER])
    user = request_user(request)
    actions = {
        "figure": Action(
            lambda data, **kw: PopulationForm(data, initial={"year": today().year}, **kw),
            lambda f: services.population_set(unit=unit, by=user, **f.cleaned_data),
            _("The population is saved."),
        )
    }
    bound, done = handle_actions(request, actions)
    if done is not None:
        return done
    context = {
        "unit": unit,
        "units": units,
        "figures": Population.objects.filter(unit=unit).order_by("-year"),
        "forms": bound,
    }
    return render(request, "reports/population.html", context, status=400 if any_errors(bound) else 200)
