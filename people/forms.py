from django import forms

from schools.models import Municipality


class SpecialistInviteForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label="МОУО", queryset=Municipality.objects.order_by("sort_order", "name"), empty_label="— выберите —"
    )
    email = forms.CharField(label="Адрес электронной почты", max_length=254)
    full_name = forms.CharField(label="ФИО (необязательно)", max_length=300, required=False)


class ChangeSchoolForm(forms.Form):
    school = forms.ModelChoiceField(label="Новая организация", queryset=None, empty_label="— выберите —")

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools.order_by("municipality__sort_order", "short_name")
