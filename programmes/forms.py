"""Forms of the programmes: they only clean input; the services decide and write."""

import datetime
import re

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from schools.models import EdmsSystem, Municipality, School

from .models import Indicator, ParentApplication, ProgressReport
from .reference import CONDITIONS, PARENT_ACTIVATION_STEPS, Phase
from .services import ORDER_FILE_MAX_BYTES, ORDER_FILE_TYPES, PERCENT_FIELDS, REPORT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MSG_DATES = "Даты отчётов — по одной в строке, в виде ДД.ММ.ГГГГ (например, 15.05.2012). Не понято: «{text}»."
MSG_TARGET_PERCENTS = "Для цели с датой укажите оба процента: «от» и «до»."
MSG_TARGET_ORDER = "«От» не может быть больше «до»."
MSG_FILE = "Файл приказа: PDF, DOC, DOCX, ODT, JPG или PNG, до 10 МБ."


def parse_dates(text: str) -> list[datetime.date]:
    dates = []
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
            try:
                dates.append(datetime.datetime.strptime(part, fmt).date())
                break
            except ValueError:
                continue
        else:
            raise forms.ValidationError(MSG_DATES.format(text=part))
    return sorted(set(dates))


class ProgrammeForm(forms.Form):
    municipality = forms.ModelChoiceField(queryset=Municipality.objects.all(), label="МО")
    title = forms.CharField(
        label="Наименование",
        max_length=300,
        initial="Введение электронных дневников учащихся и электронного журнала успеваемости",
    )
    order_number = forms.CharField(label="Номер приказа", max_length=40)
    order_date = forms.DateField(label="Дата приказа", widget=DATE)
    order_file = forms.FileField(
        label="Файл приказа (PDF, DOC, DOCX, ODT, JPG, PNG; до 10 МБ)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ORDER_FILE_TYPES)}),
    )
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(), label="Организации — участники", widget=forms.CheckboxSelectMultiple
    )
    reporting_dates = forms.CharField(
        label="Даты отчётов (по одной в строке, ДД.ММ.ГГГГ)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    prefill_stages = forms.BooleanField(
        label="Заполнить этапы по приложению 1 к приказу (их можно изменить)", required=False, initial=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_regional:
            schools = School.objects.filter(is_active=True)
        else:
            self.fields["municipality"].queryset = Municipality.objects.filter(pk=user.municipality_id)
            self.fields["municipality"].initial = user.municipality_id
            schools = School.objects.filter(is_active=True, municipality_id=user.municipality_id)
        self.fields["schools"].queryset = schools.select_related("municipality").order_by(
            "municipality__sort_order", "short_name"
        )

    def clean_order_file(self):
        upload = self.cleaned_data.get("order_file")
        if upload and (
            not upload.name.lower().endswith(ORDER_FILE_TYPES) or upload.size > ORDER_FILE_MAX_BYTES
        ):
            raise forms.ValidationError(MSG_FILE)
        return upload or None

    def clean_reporting_dates(self):
        return parse_dates(self.cleaned_data.get("reporting_dates", ""))


class ProgrammeEditForm(forms.Form):
    """The order and the participating schools of an existing programme."""

    title = forms.CharField(label="Наименование", max_length=300)
    order_number = forms.CharField(label="Номер приказа", max_length=40)
    order_date = forms.DateField(label="Дата приказа", widget=DATE)
    order_file = forms.FileField(
        label="Файл приказа (PDF, DOC, DOCX, ODT, JPG, PNG; до 10 МБ)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ORDER_FILE_TYPES)}),
    )
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(), label="Организации — участники", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, programme, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": programme.title,
                "order_number": programme.order_number,
                "order_date": programme.order_date,
                "order_file": programme.order_file,
                "schools": list(programme.participants.values_list("school_id", flat=True)),
            },
        )
        super().__init__(*args, **kwargs)
        participating = programme.participants.values("school_id")
        self.fields["schools"].queryset = (
            School.objects.filter(municipality_id=programme.municipality_id)
            .filter(models.Q(is_active=True) | models.Q(pk__in=participating))
            .order_by("short_name")
        )
        self.fields[
            "schools"
        ].help_text = (
            "Организацию, по которой уже есть отчёты, заявления или отметки готовности, исключить нельзя."
        )

    def clean_order_file(self):
        """A new file, ``False`` when «очистить» is ticked, or ``None`` to keep the current one."""
        upload = self.cleaned_data.get("order_file")
        if upload is False:
            return False
        if not isinstance(upload, UploadedFile):
            return None  # the current file (or none) stays
        if not upload.name.lower().endswith(ORDER_FILE_TYPES) or upload.size > ORDER_FILE_MAX_BYTES:
            raise forms.ValidationError(MSG_FILE)
        return upload


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label="Показатель", choices=Indicator.choices)
    due_on = forms.DateField(label="К дате", widget=DATE, required=False)
    min_percent = forms.IntegerField(label="От, %", min_value=0, max_value=100, required=False)
    max_percent = forms.IntegerField(label="До, %", min_value=0, max_value=100, required=False)

    def clean(self):
        """A row without a date is left out; a dated row needs both percents, «от» ≤ «до»."""
        data = super().clean()
        if data.get("due_on") is None:
            return data
        if data.get("min_percent") is None or data.get("max_percent") is None:
            raise forms.ValidationError(MSG_TARGET_PERCENTS)
        if data["min_percent"] > data["max_percent"]:
            raise forms.ValidationError(MSG_TARGET_ORDER)
        return data


TargetFormSet = forms.formset_factory(TargetForm, extra=0)


def default_targets() -> list[dict]:
    return [
        {"indicator": Indicator.PARENTS_ACTIVATED, "min_percent": low, "max_percent": high}
        for low, high in PARENT_ACTIVATION_STEPS
    ]


class StageForm(forms.Form):
    phase = forms.ChoiceField(label="Этап", choices=Phase.CHOICES)
    title = forms.CharField(label="Мероприятие", max_length=200)
    content = forms.CharField(label="Содержание", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due_on = forms.DateField(label="Срок", widget=DATE, required=False)


class ReportingDateForm(forms.Form):
    on_date = forms.DateField(label="Дата отчёта", widget=DATE)


class ParticipantForm(forms.Form):
    director_name = forms.CharField(label="ФИО директора", max_length=200, required=False)
    system = forms.ModelChoiceField(
        queryset=EdmsSystem.objects.filter(is_active=True), label="Система", required=False
    )


class ReadinessForm(forms.Form):
    def __init__(self, *args, marks=None, **kwargs):
        super().__init__(*args, **kwargs)
        marks = marks or {}
        for condition in CONDITIONS:
            mark = marks.get(condition.code)
            self.fields[f"met_{condition.code}"] = forms.BooleanField(
                label=condition.text, required=False, initial=bool(mark and mark.met)
            )
            self.fields[f"note_{condition.code}"] = forms.CharField(
                label=f"Примечание: {condition.text}",
                required=False,
                max_length=500,
                initial=mark.note if mark else "",
            )

    def marks(self) -> dict[str, tuple[bool, str]]:
        return {
            c.code: (self.cleaned_data[f"met_{c.code}"], self.cleaned_data[f"note_{c.code}"])
            for c in CONDITIONS
        }


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = ParentApplication
        fields = ["reg_number", "reg_date", "class_name", "delivery", "consent", "applicant_name"]
        widgets = {"reg_date": DATE}


class ProgressReportForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = list(REPORT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "local_acts",
                "local_act_changes",
                "informing_forms",
                "additional_info",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = EdmsSystem.objects.filter(is_active=True)
        for name in PERCENT_FIELDS:
            self.fields[name].widget.attrs.update({"min": 0, "max": 100})


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Комментарий для организации (обязательно)", widget=forms.Textarea(attrs={"rows": 3})
    )


class ProblemForm(forms.Form):
    """A row of point 15: the problem and how it was solved."""

    problem = forms.CharField(
        label="Содержание проблемы", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    solution = forms.CharField(
        label="Решение проблемы (полностью, частично)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if (data.get("solution") or "").strip() and not (data.get("problem") or "").strip():
            self.add_error("problem", MSG_PROBLEM_MISSING)
        return data


MSG_PROBLEM_MISSING = "Укажите проблему, к которой относится решение (или очистите строку)."
ProblemFormSet = forms.formset_factory(ProblemForm, extra=2, max_num=50, validate_max=True)


def problem_formset(data=None, *, report) -> forms.BaseFormSet:
    """The report's rows of point 15 and two empty ones for new problems."""
    initial = [{"problem": r.problem, "solution": r.solution} for r in report.problem_rows.all()]
    return ProblemFormSet(data, prefix="problem", initial=initial)


def problem_rows(formset) -> list[tuple[str, str]]:
    return [
        (f.cleaned_data.get("problem", ""), f.cleaned_data.get("solution", ""))
        for f in formset.forms
        if f.cleaned_data
    ]
