"""Authentication by the ``Authorization: Api-Key <key>`` header, and who a key lets in."""

from dataclasses import dataclass

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions
from rest_framework_api_key.permissions import KeyParser

from .models import ApiKey

MSG_KEY_INVALID = "Ключ API недействителен или отозван."
MSG_KEY_KIND = "Этот ключ не даёт доступа к этому разделу API."


@dataclass(frozen=True)
class KeyHolder:
    """The caller behind a valid key (stands where a user stands in a page request)."""

    key: ApiKey
    is_authenticated: bool = True
    is_active: bool = True

    def __str__(self):
        return self.key.name


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = KeyParser.keyword

    def authenticate(self, request):
        raw = KeyParser().get(request)
        if not raw:
            return None
        try:
            key = ApiKey.objects.get_from_key(raw)
        except ApiKey.DoesNotExist:
            key = None
        if key is None or not key.is_valid(raw):
            raise exceptions.AuthenticationFailed(MSG_KEY_INVALID)
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return KeyHolder(key), key

    def authenticate_header(self, request):
        return self.keyword


class _KeyOfKind(permissions.BasePermission):
    kind = ""
    message = MSG_KEY_KIND

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey) and request.auth.kind == self.kind


class IsVendorKey(_KeyOfKind):
    kind = ApiKey.Kind.VENDOR


class IsDepartmentKey(_KeyOfKind):
    kind = ApiKey.Kind.DEPARTMENT
