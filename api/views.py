"""The API: vendors push counts and answer requests; the Department reads approved figures."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ServiceError
from monitoring.models import Campaign
from schools.models import Municipality
from vendors import selectors as vendor_selectors
from vendors import services as vendor_services

from . import selectors, serializers
from .audit import record_call
from .auth import IsDepartmentKey, IsVendorKey
from .figures import approved_figures
from .models import ApiKey

MSG_NOT_FOUND = "Не найдено."
MSG_BAD_INPUT = "Запрос не принят: исправьте ошибки."

ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="Ошибки во входных данных"),
    401: OpenApiResponse(serializers.ErrorSerializer, description="Нет ключа или ключ недействителен"),
    403: OpenApiResponse(serializers.ErrorSerializer, description="Ключ другого вида"),
    429: OpenApiResponse(serializers.ErrorSerializer, description="Превышен предел обращений"),
}


class AuditedView(APIView):
    """Every call is recorded with the key's name, whatever the answer."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        key = request.auth if isinstance(getattr(request, "auth", None), ApiKey) else None
        record_call(key=key, method=request.method, path=request.get_full_path(), status=response.status_code)
        return response


def _field_errors(errors: dict) -> list[dict]:
    """DRF's nested validation errors as a flat list of {index, field, message}."""
    flat = []
    for field, messages in errors.items():
        for message in messages if isinstance(messages, list) else [messages]:
            flat.append({"index": None, "field": field, "message": str(message)})
    return flat


def _bad_request(errors: list[dict], detail: str = MSG_BAD_INPUT) -> Response:
    return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


class VendorCountsView(AuditedView):
    permission_classes = [IsVendorKey]

    @extend_schema(
        summary="Передать данные по организациям (пакет)",
        description=(
            "Пакет принимается целиком или не принимается совсем. Повторная передача тех же данных "
            "ничего не меняет. Организация — по внешнему коду в портале; принимаются только "
            "организации, работающие в системах разработчика."
        ),
        request=serializers.CountBatchSerializer,
        responses={200: serializers.UpsertResultSerializer, **ERRORS},
        tags=["разработчики"],
    )
    def post(self, request):
        key: ApiKey = request.auth
        items = request.data.get("items") if isinstance(request.data, dict) else None
        try:
            result = vendor_services.vendor_counts_upsert(
                vendor=key.vendor,
                items=items,
                school_ids=set(selectors.vendor_schools(vendor=key.vendor).values_list("pk", flat=True)),
                source=key.name,
            )
        except vendor_services.VendorBatchInvalid as exc:
            return _bad_request(exc.errors, str(exc))
        return Response({"created": result.created, "updated": result.updated, "unchanged": result.unchanged})


class VendorRequestsView(AuditedView):
    permission_classes = [IsVendorKey]

    @extend_schema(
        summary="Обращения к разработчику",
        responses={200: serializers.VendorRequestSerializer(many=True), **ERRORS},
        tags=["разработчики"],
    )
    def get(self, request):
        qs: QuerySet = vendor_selectors.vendor_requests_of_vendor(vendor=request.auth.vendor)
        return Response(serializers.VendorRequestSerializer(qs, many=True).data)


class VendorRequestAnswerView(AuditedView):
    permission_classes = [IsVendorKey]

    @extend_schema(
        summary="Ответ разработчика и состояние обращения",
        parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH, description="Номер обращения")],
        request=serializers.AnswerSerializer,
        responses={
            200: serializers.VendorRequestSerializer,
            404: OpenApiResponse(serializers.ErrorSerializer, description="Нет такого обращения"),
            **ERRORS,
        },
        tags=["разработчики"],
    )
    def post(self, request, pk: str):
        qs = vendor_selectors.vendor_requests_of_vendor(vendor=request.auth.vendor)
        item = qs.filter(pk=int(pk)).first() if pk.isdigit() and len(pk) < 10 else None
        if item is None:
            return Response({"detail": MSG_NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
        form = serializers.AnswerSerializer(data=request.data if isinstance(request.data, dict) else {})
        if not form.is_valid():
            return _bad_request(_field_errors(form.errors))
        try:
            vendor_services.vendor_request_answer(
                request_id=item.pk, via=request.auth.name, **form.validated_data
            )
        except ServiceError as exc:
            return _bad_request([{"index": None, "field": "state", "message": str(exc)}], str(exc))
        return Response(serializers.VendorRequestSerializer(qs.get(pk=item.pk)).data)


class DepartmentCampaignsView(AuditedView):
    permission_classes = [IsDepartmentKey]

    @extend_schema(
        summary="Мониторинги",
        responses={200: serializers.CampaignSerializer(many=True), **ERRORS},
        tags=["Департамент"],
    )
    def get(self, request):
        campaigns = Campaign.objects.exclude(status=Campaign.Status.PREPARING).order_by("-as_of")
        return Response(serializers.CampaignSerializer(campaigns, many=True).data)


class DepartmentFiguresView(AuditedView):
    permission_classes = [IsDepartmentKey]

    @extend_schema(
        summary="Утверждённые показатели мониторинга",
        description="Только принятые отчёты — те же числа, что в аналитической справке.",
        parameters=[
            OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Код мониторинга"),
            OpenApiParameter("municipality", str, description="Код МОУО (необязательно)"),
        ],
        responses={
            200: serializers.FiguresSerializer,
            404: OpenApiResponse(serializers.ErrorSerializer, description="Нет такого мониторинга или МОУО"),
            **ERRORS,
        },
        tags=["Департамент"],
    )
    def get(self, request, slug: str):
        campaign = Campaign.objects.exclude(status=Campaign.Status.PREPARING).filter(slug=slug).first()
        municipality = None
        code = request.query_params.get("municipality")
        if code:
            municipality = Municipality.objects.filter(code=code).first()
        if campaign is None or (code and municipality is None):
            return Response({"detail": MSG_NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
        return Response(serializers.FiguresSerializer(approved_figures(campaign, municipality)).data)
