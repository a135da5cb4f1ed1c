"""The load benchmark's floor: a request that writes one row and nothing else. Routed only
when settings.BENCH_FLOOR is on (FLOURISH_BENCH_FLOOR=1); `check --deploy` fails if it is
on in production (flourish.E002)."""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import actions


@csrf_exempt
@require_POST
def floor(request):
    row = actions.write_floor_row()
    return HttpResponse(str(row.pk), content_type="text/plain")
