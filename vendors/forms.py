from django import forms

from schools.models import EdmsSystem

from .models import VendorRequest


class RequestForm(forms.Form):
    system = forms.ModelChoiceField(label="Система", queryset=EdmsSystem.objects.none())
    module = forms.CharField(label="Модуль", max_length=200, required=False)
    kind = forms.ChoiceField(label="Вид", choices=VendorRequest.Kind.choices)
    text = forms.CharField(label="Содержание", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, systems=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems if systems is not None else EdmsSystem.objects.none()


class AnswerForm(forms.Form):
    state = forms.ChoiceField(
        label="Состояние", choices=[c for c in VendorRequest.State.choices if c[0] != VendorRequest.State.NEW]
    )
    planned_on = forms.DateField(
        label="Запланировано на", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    answer = forms.CharField(
        label="Ответ разработчика", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class GroupForm(forms.Form):
    duplicate_of = forms.IntegerField(label="Повторяет обращение №", required=False, min_value=1)


class FilterForm(forms.Form):
    vendor = forms.IntegerField(required=False)
    state = forms.ChoiceField(required=False, choices=[("", "все"), *VendorRequest.State.choices])
