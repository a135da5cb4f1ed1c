from django.contrib import admin

from .models import Delivery, Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "status", "attempts", "run_after", "created"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["purpose", "object_key", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", "purpose"]
    # The body may hold a secret link until sent: never shown here.
    exclude = ["body"]
    readonly_fields = [
        "purpose", "object_key", "to", "subject", "status", "attempts", "last_error", "created", "sent_at"
    ]
