"""Shapes of the API's requests and answers (they make the OpenAPI schema)."""

from rest_framework import serializers

from vendors.models import VendorRequest


class CountItemSerializer(serializers.Serializer):
    school_code = serializers.CharField(help_text="Внешний код организации в портале.")
    inn = serializers.CharField(required=False, help_text="ИНН (необязательно, для справки).")
    as_of = serializers.DateField(help_text="Дата, на которую посчитаны данные.")
    classes = serializers.IntegerField(min_value=0)
    students_registered = serializers.IntegerField(min_value=0)
    students_active = serializers.IntegerField(min_value=0, help_text="Активных за последние 30 дней.")
    teachers_registered = serializers.IntegerField(min_value=0)
    teachers_active = serializers.IntegerField(min_value=0)
    parents_registered = serializers.IntegerField(min_value=0)
    parents_active = serializers.IntegerField(min_value=0)


class CountBatchSerializer(serializers.Serializer):
    items = CountItemSerializer(many=True)


class UpsertResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True, help_text="Номер записи в пакете, с нуля.")
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = ItemErrorSerializer(many=True, required=False)


class VendorRequestSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="school.short_name")
    school_code = serializers.CharField(source="school.external_code")
    system = serializers.CharField(source="system.name")

    class Meta:
        model = VendorRequest
        fields = [
            "id",
            "school",
            "school_code",
            "system",
            "module",
            "kind",
            "text",
            "created_at",
            "duplicate_of",
            "state",
            "planned_on",
            "answer",
            "answered_at",
        ]


class AnswerSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=[c for c in VendorRequest.State.choices if c[0] != VendorRequest.State.NEW]
    )
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    planned_on = serializers.DateField(required=False, allow_null=True, default=None)


class FigureRowSerializer(serializers.Serializer):
    orgs = serializers.IntegerField()
    orgs_using_edms = serializers.IntegerField()
    classes_total = serializers.IntegerField()
    classes_edms = serializers.IntegerField()
    students_total = serializers.IntegerField()
    students_edms = serializers.IntegerField()
    teachers_total = serializers.IntegerField()
    teachers_edms = serializers.IntegerField()
    parents_edms = serializers.IntegerField()


class MunicipalityFiguresSerializer(FigureRowSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    campaign = serializers.CharField()
    title = serializers.CharField()
    as_of = serializers.DateField()
    basis = serializers.CharField()
    region = FigureRowSerializer()
    municipalities = MunicipalityFiguresSerializer(many=True)


class CampaignSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    as_of = serializers.DateField()
    status = serializers.CharField()
