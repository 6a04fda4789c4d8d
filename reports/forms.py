from django import forms

from monitoring.basis import DEFAULT_BASIS, Basis
from schools.models import Municipality

from .excel.safety import MAX_UPLOAD_BYTES


class ExportForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(),
        required=False,
        empty_label="Вся область (формируется в фоне)",
        label="МО",
    )
    basis = forms.ChoiceField(
        choices=[
            (Basis.ACCEPTED, "Только принятые отчёты (официальная таблица)"),
            (Basis.SUBMITTED, "Принятые и отчёты на проверке (предварительная)"),
        ],
        initial=DEFAULT_BASIS,
        required=False,
        widget=forms.RadioSelect,
        label="Какие отчёты включить",
        help_text="Черновики и возвращённые на доработку отчёты в таблицу не попадают никогда: такие "
        "организации перечислены на листе «Не включены».",
    )

    def clean_basis(self):
        return self.cleaned_data.get("basis") or DEFAULT_BASIS


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Файл Excel (.xlsx, до 10 МБ)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(),
        required=False,
        empty_label="по графе 2 таблицы",
        label="МО",
    )
    create_missing = forms.BooleanField(
        required=False, label="Регистрировать организации и филиалы, которых нет в справочнике"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_regional:
            del self.fields["municipality"]
            del self.fields["create_missing"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Нужен файл Excel в формате .xlsx.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Файл больше 10 МБ.")
        return upload


class AnalyticReportForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=None, label="Мониторинг", empty_label=None)
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(), required=False, empty_label="Вся область", label="МО"
    )
    include_unapproved = forms.BooleanField(
        required=False, label="Учитывать и отчёты на проверке (по умолчанию — только принятые)"
    )

    def __init__(self, *args, user, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        if not user.is_regional:
            del self.fields["municipality"]


class ParagraphForm(forms.Form):
    text = forms.CharField(label="Текст абзаца", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class SignoffForm(forms.Form):
    order_number = forms.CharField(label="Номер приказа", max_length=40, required=False)
    order_date = forms.DateField(
        label="Дата приказа",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    signatory_position = forms.CharField(label="Должность подписывающего", max_length=200, required=False)
    signatory_name = forms.CharField(
        label="Инициалы и фамилия подписывающего", max_length=200, required=False
    )
    executors = forms.CharField(
        label="Исполнители (по одному на строку)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="Шаблон Word (.docx, до 5 МБ)",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )
