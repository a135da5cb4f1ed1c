from django.contrib import admin

from .models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("key", "audience", "subject", "released_at")
    list_filter = ("audience",)
    readonly_fields = ("audience", "subject", "key", "equation", "rows_of", "value", "released_at")
