from django import forms

from .models import AccessEvent


class JournalFilterForm(forms.Form):
    person = forms.CharField(label="Пользователь (имя входа)", required=False, max_length=150)
    kind = forms.ChoiceField(
        label="Действие", required=False, choices=[("", "все"), *AccessEvent.Kind.choices]
    )
    date_from = forms.DateField(
        label="С даты", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="По дату", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    municipality = forms.TypedChoiceField(label="МОУО", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, municipality_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", "все"), *municipality_choices]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "person": data["person"] or "",
            "kind": data["kind"] or "",
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "municipality_id": data["municipality"],
        }
