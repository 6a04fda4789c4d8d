from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import VendorCount


@admin.register(VendorCount)
class VendorCountAdmin(ReadOnlyAdmin):
    list_display = ("school", "vendor", "as_of", "students_registered", "parents_registered", "source")
    list_filter = ("vendor",)
