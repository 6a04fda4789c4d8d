"""Forms of the projects app: they clean and convert input; services do the saving."""

import datetime
from decimal import Decimal

from django import forms
from django.db import models

from core.forms import SPACES, CountField, harden_text_fields
from core.models import ReportStatus
from schools.models import EdmsSystem, Municipality, School
from schools.selectors import system_choices

from .indicators import ASSIGNMENT_VALUE_FIELDS, INDICATORS
from .models import (
    PLAN_VALUE_MAX,
    AgreementType,
    AssignmentReport,
    Event,
    PlanIndicator,
    Project,
    ProjectStage,
)
from .selectors import SITE_STATES
from .services import PROJECT_FIELDS, academic_year_of, academic_year_valid

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MSG_BAD_YEAR = "Укажите учебный год в виде 2016-2017."


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = list(PROJECT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in (
                "basis_documents",
                "head",
                "coordinators",
                "goal",
                "tasks",
                "directions",
                "executors",
                "expected_results",
                "information_channels",
            )
        }


class SiteFilterForm(forms.Form):
    """Filters of the registry list; all optional, kept in the URL."""

    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.order_by("sort_order"), required=False, empty_label="все", label="МОУО"
    )
    system = forms.ModelChoiceField(
        queryset=EdmsSystem.objects.filter(is_used=True).order_by("sort_order"),
        required=False,
        empty_label="все",
        label="Система",
    )
    state = forms.ChoiceField(choices=[("", "все"), *SITE_STATES], required=False, label="Соглашение")
    q = forms.CharField(required=False, max_length=200, label="Организация")
    as_of = forms.DateField(required=False, widget=DATE, label="Сеть по состоянию на")

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class PilotSiteForm(forms.Form):
    school = forms.ModelChoiceField(
        queryset=School.objects.filter(is_active=True).select_related("municipality"),
        label="Организация",
    )
    agreement_type = forms.ChoiceField(choices=AgreementType.choices, label="Вид соглашения")
    system = forms.ModelChoiceField(
        queryset=system_choices().filter(is_used=True), label="Система при вступлении в сеть"
    )
    joined_on = forms.DateField(widget=DATE, label="Дата вступления в сеть")
    agreement_number = forms.CharField(required=False, max_length=60, label="Номер соглашения")
    agreement_date = forms.DateField(required=False, widget=DATE, label="Дата соглашения")
    basis_order = forms.CharField(
        required=False,
        max_length=300,
        label="Основание включения в сеть",
        help_text="Например: Распоряжение № 360-р от 22.05.2015.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].label_from_instance = lambda s: f"{s.short_name} ({s.municipality.name})"


class PilotSiteEndForm(forms.Form):
    left_on = forms.DateField(
        widget=DATE, label="Дата выхода из сети", help_text="Первый день, когда организация уже не ПВП."
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Причина выхода",
        help_text="Например: перешла на систему «Дневник.ру».",
    )


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "level",
            "starts_on",
            "ends_on",
            "organiser_school",
            "organiser_text",
            "teachers",
            "students",
            "outcome",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser_school"].queryset = School.objects.filter(is_active=True)
        self.fields["organiser_school"].empty_label = "ОГБУ «РЦРО»"
        for name in ("teachers", "students"):
            self.fields[name] = CountField(
                label=Event._meta.get_field(name).verbose_name, min_value=0, required=False
            )

    def clean(self):
        data = super().clean()
        for name in ("teachers", "students"):
            if data.get(name) is None:
                data[name] = 0
        return data


def academic_year_choices(today: datetime.date) -> list[tuple[str, str]]:
    """The current academic year and the one before (a report is usually for the past year)."""
    current = academic_year_of(today)
    start = int(current[:4])
    years = [current, f"{start - 1}-{start}"]
    return [(y, y) for y in years]


class StartAssignmentReportForm(forms.Form):
    academic_year = forms.ChoiceField(label="Учебный год")

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = academic_year_choices(today)


class AssignmentReportFilterForm(forms.Form):
    academic_year = forms.CharField(required=False, max_length=9, label="Учебный год")
    status = forms.ChoiceField(
        choices=[("", "все"), *ReportStatus.choices], required=False, label="Состояние"
    )
    q = forms.CharField(required=False, max_length=200, label="Организация")
    as_of = forms.DateField(required=False, widget=DATE, label="Размер сети на")

    def clean_academic_year(self):
        value = self.cleaned_data["academic_year"].strip()
        if value and not academic_year_valid(value):
            raise forms.ValidationError(MSG_BAD_YEAR)
        return value


class AssignmentReportForm(forms.Form):
    """The 8 indicators of the report; counts accept «1 234»."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ASSIGNMENT_VALUE_FIELDS:
            model_field = AssignmentReport._meta.get_field(name)
            label = model_field.verbose_name[:1].upper() + model_field.verbose_name[1:]
            if isinstance(model_field, models.TextField):
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=model_field.max_length,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text="По одной ссылке на строку."
                    if name == "best_practices_links"
                    else model_field.help_text,
                )
            elif isinstance(model_field, models.BooleanField):
                self.fields[name] = forms.BooleanField(label=label, required=False)
            else:
                self.fields[name] = CountField(label=label, min_value=0)
        harden_text_fields(self)

    def clean(self):
        data = super().clean()
        for name in ASSIGNMENT_VALUE_FIELDS:
            if name in data and data[name] is None:
                data[name] = 0
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ASSIGNMENT_VALUE_FIELDS}

    def sections(self):
        """Bound fields grouped by indicator, for the template."""
        return [(indicator, [self[name] for name in indicator.fields]) for indicator in INDICATORS]


def assignment_initial(report: AssignmentReport) -> dict:
    initial = {name: getattr(report, name) for name in ASSIGNMENT_VALUE_FIELDS}
    initial["version"] = report.version
    return initial


class PeriodForm(forms.Form):
    start = forms.DateField(widget=DATE, label="С")
    end = forms.DateField(widget=DATE, label="По")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "Конец периода раньше начала.")
        return data


# --- The plan ---------------------------------------------------------------------------------------

MSG_NOT_A_VALUE = "Введите число, например 45 или 45,5."
MSG_SOURCE_FOR_VALUE = "Укажите источник данных для значения за {year} год."


class PlanValueField(forms.DecimalField):
    """A non-negative value typed as «45», «45,5» or «1 234»."""

    default_error_messages = {
        "invalid": MSG_NOT_A_VALUE,
        "min_value": "Значение не может быть отрицательным.",
        "max_value": "Слишком большое значение.",
        "max_digits": "Слишком большое значение.",
        "max_decimal_places": "Не больше двух знаков после запятой.",
        "max_whole_digits": "Слишком большое значение.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", PLAN_VALUE_MAX)
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num-input"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = SPACES.sub("", value).replace("−", "-").replace(",", ".")
            if len(value) > 20:
                raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return super().to_python(value)


class StageForm(forms.ModelForm):
    class Meta:
        model = ProjectStage
        fields = ["number", "title", "content", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, with_done: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_done:
            self.fields["is_done"] = forms.BooleanField(label="Этап выполнен", required=False)
            self.fields["done_on"] = forms.DateField(
                label="Дата выполнения",
                required=False,
                widget=DATE,
                help_text="Пусто — сегодня (если этап отмечен выполненным сейчас).",
            )
            if self.instance.pk and not self.is_bound:
                self.initial.setdefault("is_done", self.instance.is_done)
                self.initial.setdefault("done_on", self.instance.done_on)
        harden_text_fields(self)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Срок окончания этапа не может быть раньше его начала.")
        return data

    def _post_clean(self):
        # The service validates and saves; the form's instance must not be changed by the form.
        pass

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("number", "title", "content", "starts_on", "ends_on")
        }


class IndicatorPlanForm(forms.Form):
    """The targets of an indicator per year of the project and, for a manual indicator, the actual
    values with their sources. An empty target or actual removes it."""

    def __init__(self, *args, indicator: PlanIndicator, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.years = years
        unit = indicator.get_unit_display()
        for year in years:
            self.fields[f"target_{year}"] = PlanValueField(label=f"План на {year}, {unit}")
            if not indicator.is_computed:
                self.fields[f"actual_{year}"] = PlanValueField(label=f"Факт за {year}, {unit}")
                self.fields[f"source_{year}"] = forms.CharField(
                    label=f"Источник данных за {year}",
                    required=False,
                    max_length=1000,
                    widget=forms.TextInput(attrs={"placeholder": "документ, отчёт, опрос, дата"}),
                )
        harden_text_fields(self)

    def clean(self):
        data = super().clean()
        if not self.indicator.is_computed:
            for year in self.years:
                if data.get(f"actual_{year}") is not None and not (data.get(f"source_{year}") or "").strip():
                    self.add_error(f"source_{year}", MSG_SOURCE_FOR_VALUE.format(year=year))
        return data

    def rows(self):
        """(year, target field, actual field, source field) for the template."""
        manual = not self.indicator.is_computed
        return [
            (
                year,
                self[f"target_{year}"],
                self[f"actual_{year}"] if manual else None,
                self[f"source_{year}"] if manual else None,
            )
            for year in self.years
        ]

    def targets(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data.get(f"target_{year}") for year in self.years}

    def actuals(self) -> dict[int, tuple[Decimal | None, str]]:
        if self.indicator.is_computed:
            return {}
        return {
            year: (self.cleaned_data.get(f"actual_{year}"), self.cleaned_data.get(f"source_{year}") or "")
            for year in self.years
        }


def indicator_plan_initial(indicator: PlanIndicator) -> dict:
    initial: dict[str, object] = {f"target_{t.year}": t.value for t in indicator.targets.all()}
    for actual in indicator.actuals.all():
        initial[f"actual_{actual.year}"] = actual.value
        initial[f"source_{actual.year}"] = actual.source_note
    return initial
