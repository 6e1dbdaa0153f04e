from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import NavItem


def nav_items(request):
    return [NavItem(_("Danh bạ"), reverse("directory:organisation-list"), icon="building", active_prefix="/directory/")]
