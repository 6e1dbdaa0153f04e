"""The links of the frame every page draws (templates/base.html), each reversed once per
process instead of on every page: `{% shell_url "core:home" %}` is `{% url %}` for names whose
arguments are constants. A dozen reversals are a sizeable part of a short page. (The static
files' URLs are kept by the storage, core.staticfiles.)"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_urls: dict = {}


@register.simple_tag
def shell_url(name, *args):
    key = (get_urlconf(), get_script_prefix(), name, args)
    found = _urls.get(key)
    if found is None:
        found = _urls[key] = reverse(name, args=args)
    return found


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _urls.clear()
