"""Forms of the monitoring app: they clean and convert input; services do the saving."""

from django import forms
from django.core.exceptions import ValidationError

from core.bounds import RAW_INPUT_MAX, TEXT_MAX, strip_control_chars
from core.forms import MSG_NOT_A_NUMBER, CountField, SafeTextMixin, harden_text_fields  # noqa: F401 - MSG_NOT_A_NUMBER is imported from here too
from schools.selectors import system_choices

from .models import COUNT_FIELDS, Campaign, SchoolReport
from .selectors import BRANCH_FIELDS, VALUE_FIELDS


def _model_field(name, **kwargs):
    return SchoolReport._meta.get_field(name).formfield(**kwargs)


def _code_field(name):
    model_field = SchoolReport._meta.get_field(name)
    return forms.TypedChoiceField(
        label=model_field.verbose_name,
        choices=[("", "— выберите —"), *[(v, f"{v} — {lbl}") for v, lbl in model_field.choices]],
        coerce=int,
        empty_value=None,
        required=False,
    )


class SystemChoiceList(list):
    """The system choices [(id, name)], with the systems by id: read once (one query) and shared
    by every form on a page, for showing the choices and for cleaning the input alike."""

    def __init__(self, systems):
        super().__init__([("", "— выберите систему —"), *((s.pk, s.name) for s in systems)])
        self.by_pk = {s.pk: s for s in systems}


def system_choice_list() -> SystemChoiceList:
    return SystemChoiceList(list(system_choices()))


class SystemField(forms.ModelChoiceField):
    """A system choice; with the systems already read (``known``), cleaning needs no query."""

    known: dict | None = None

    def to_python(self, value):
        if self.known is None or value in self.empty_values:
            return super().to_python(value)
        try:
            return self.known[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class SharedSystemChoicesMixin:
    """Takes ``system_choices`` so that a page with many rows reads the systems once."""

    def __init__(self, *args, system_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if system_choices is not None:
            field = self.fields["system"]
            field.choices = system_choices
            field.known = getattr(system_choices, "by_pk", None)


class ReportForm(SharedSystemChoicesMixin, forms.Form):
    """The school's own row (columns 5-25 except the branch rows and events)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    system = SystemField(
        queryset=system_choices(),
        required=False,
        empty_label="— выберите систему —",
        label="Система электронного документооборота",
    )

    def __init__(self, *args, unconfirmed=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in VALUE_FIELDS:
            if name == "system":
                continue
            if name in COUNT_FIELDS:
                self.fields[name] = CountField(label=SchoolReport._meta.get_field(name).verbose_name)
            elif name in ("entry_frequency", "paper_journal", "pilot_site"):
                self.fields[name] = _code_field(name)
            elif name == "notes":
                self.fields[name] = _model_field(
                    name, widget=forms.Textarea(attrs={"rows": 3}), required=False
                )
            else:
                self.fields[name] = _model_field(name, required=False)
        for name in ("responsible_email", "coordinator_email"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "email", "autocomplete": "off"})
        for name in ("responsible_phone", "coordinator_phone"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
        self.unconfirmed = list(unconfirmed)
        for name in self.unconfirmed:
            self.fields[f"confirm__{name}"] = forms.BooleanField(
                required=False, label="подтверждаю значение прошлого года"
            )
        self.fields["confirm_all"] = forms.BooleanField(
            required=False, label="Подтвердить все значения, перенесённые из прошлого года"
        )
        harden_text_fields(self)

    def values(self) -> dict:
        """Converted values of the fields that were valid."""
        return {name: self.cleaned_data[name] for name in VALUE_FIELDS if name in self.cleaned_data}

    def raw_invalid(self) -> dict:
        """What the user typed into fields that could not be converted, so a draft keeps it: without
        control characters and cut to ``RAW_INPUT_MAX`` (it is only shown again for correcting)."""
        return {
            name: strip_control_chars(str(self.data.get(name, "")))[:RAW_INPUT_MAX]
            for name in VALUE_FIELDS
            if name in self.errors
        }

    def confirmed(self) -> set[str]:
        if self.cleaned_data.get("confirm_all"):
            return set(self.unconfirmed)
        return {name for name in self.unconfirmed if self.cleaned_data.get(f"confirm__{name}")}

    def explanations(self) -> dict[str, str]:
        """Explanations by warning code; one input may answer several warnings («code1|code2»)."""
        prefix = "explain__"
        found = {}
        for key, text in self.data.items():
            if key.startswith(prefix):
                clean = strip_control_chars(str(text))[:TEXT_MAX]
                for code in strip_control_chars(key[len(prefix) :])[:1000].split("|"):
                    if code:
                        found[code[:100]] = clean
        return found


class BranchRowForm(SafeTextMixin, SharedSystemChoicesMixin, forms.Form):
    branch_id = forms.IntegerField(widget=forms.HiddenInput)
    system = SystemField(
        queryset=system_choices(), required=False, empty_label="— выберите систему —", label="Система"
    )
    responsible_name = forms.CharField(required=False, max_length=200, label="ФИО ответственного")
    responsible_position = forms.CharField(required=False, max_length=200, label="Должность")
    responsible_phone = forms.CharField(
        required=False, max_length=60, label="Телефон", widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    responsible_email = forms.CharField(
        required=False, max_length=254, label="E-mail", widget=forms.TextInput(attrs={"inputmode": "email"})
    )

    def values(self) -> dict:
        return {
            name: self.cleaned_data.get(name) or ("" if name != "system" else None) for name in BRANCH_FIELDS
        }


class EventRowForm(SafeTextMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        required=False,
        max_length=300,
        label="Мероприятие",
        widget=forms.TextInput(attrs={"list": "project-events", "autocomplete": "off"}),
    )
    students = CountField(label="Обучающихся", min_value=0)
    teachers = CountField(label="Педагогов", min_value=0)

    def clean(self):
        data = super().clean()
        if (data.get("students") or data.get("teachers")) and not data.get("title"):
            self.add_error("title", "Укажите название мероприятия.")
        return data


BranchFormSet = forms.formset_factory(BranchRowForm, extra=0)
EventFormSet = forms.formset_factory(EventRowForm, extra=2, can_delete=True)


def event_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        if form.cleaned_data.get("DELETE") or not form.cleaned_data.get("title"):
            continue
        rows.append(
            {
                "id": form.cleaned_data.get("id"),
                "title": form.cleaned_data["title"],
                "students": form.cleaned_data.get("students") or 0,
                "teachers": form.cleaned_data.get("teachers") or 0,
            }
        )
    return rows


class CampaignForm(forms.ModelForm):
    """Create or edit a campaign (methodists)."""

    participant_municipalities = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Участвуют МОУО",
        help_text="Все действующие организации выбранных МОУО. Пусто — вся область.",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "slug",
            "academic_year",
            "as_of",
            "deadline",
            "letter_number",
            "letter_date",
            "previous",
        ]
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "letter_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"slug": "Латинские буквы, цифры и дефис, например 2017 или 2017-autumn."}

    def __init__(self, *args, **kwargs):
        from schools.models import Municipality

        super().__init__(*args, **kwargs)
        self.fields["participant_municipalities"].queryset = Municipality.objects.all()
        previous = self.fields["previous"]
        previous.queryset = (
            Campaign.objects.exclude(pk=self.instance.pk) if self.instance.pk else Campaign.objects.all()
        )
        previous.empty_label = "— нет —"
        if self.instance.pk:
            self.fields["slug"].disabled = True
