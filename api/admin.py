"""Keys are issued and revoked on the portal's key page (with the key shown once); the library's
own admin of its unused base model is taken out so the admin shows no such section."""

from django.contrib import admin
from rest_framework_api_key.models import APIKey

if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)
