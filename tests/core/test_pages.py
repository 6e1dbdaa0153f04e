"""The form page and the button action written once in core.pages: what a user sees when a
service accepts, refuses a field, or refuses the whole thing."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from core import pages


class NameForm(forms.Form):
    name = forms.CharField(label="Tên")


def _request(method="get", data=None):
    request = getattr(RequestFactory(), method)("/x/", data or {})
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = FallbackStorage(request)
    return request


def _texts(request):
    return [str(m) for m in get_messages(request)]


def _page(request, save, monkeypatch):
    template = engines["django"].from_string("{{ form.non_field_errors }}|{{ form.name.errors }}")
    monkeypatch.setattr(pages, "render", lambda req, name, ctx: HttpResponse(template.render(ctx)))
    form = NameForm(request.POST or None)
    return pages.form_page(
        request, form, template="x.html", save=save, success=lambda obj: f"/done/{obj}/", message="Đã lưu."
    )


def test_valid_post_saves_says_so_and_redirects(monkeypatch):
    request = _request("post", {"name": "Lạc Sơn"})
    saved = []
    response = _page(request, lambda data: saved.append(data["name"]) or 7, monkeypatch)
    assert saved == ["Lạc Sơn"]
    assert response.status_code == 302 and response["Location"] == "/done/7/"
    assert _texts(request) == ["Đã lưu."]


def test_a_refused_field_goes_back_beside_what_was_typed(monkeypatch):
    request = _request("post", {"name": "Lạc Sơn"})

    def save(data):
        raise ValidationError({"name": "Tên đã có."})

    response = _page(request, save, monkeypatch)
    assert response.status_code == 200
    assert "Tên đã có." in response.content.decode().split("|")[1]
    assert _texts(request) == []


def test_a_refusal_of_the_whole_form_is_shown_above_it(monkeypatch):
    request = _request("post", {"name": "Lạc Sơn"})

    def save(data):
        raise ValidationError("Kế hoạch đã khoá.")

    response = _page(request, save, monkeypatch)
    assert "Kế hoạch đã khoá." in response.content.decode().split("|")[0]


def test_an_invalid_form_never_reaches_the_service(monkeypatch):
    request = _request("post", {"name": ""})
    response = _page(request, lambda data: 1 / 0, monkeypatch)
    assert response.status_code == 200


def test_action_refused_says_why_and_goes_back():
    request = _request("post")

    def call():
        raise ValidationError("Đợt luân chuyển đã được nhận.")

    response = pages.action(request, call, success="/rotations/3/", message="Đã nhận.")
    assert response["Location"] == "/rotations/3/"
    assert _texts(request) == ["Đợt luân chuyển đã được nhận."]


def test_action_accepted_says_what_happened():
    request = _request("post")
    response = pages.action(
        request, lambda: 3, success=lambda pk: f"/rotations/{pk}/", message=lambda pk: f"Đã nhận {pk}."
    )
    assert response["Location"] == "/rotations/3/"
    assert _texts(request) == ["Đã nhận 3."]
