"""The portal's URLs plus `/_bench/floor`: one query through the same middleware, the floor
every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from directory.models import AdministrativeUnit
from hoabinh_library.urls import urlpatterns as portal_urlpatterns


def floor(request):
    return HttpResponse(f"{AdministrativeUnit.objects.filter(level='province').count()}", content_type="text/plain")


urlpatterns = [path("_bench/floor", floor), *portal_urlpatterns]
