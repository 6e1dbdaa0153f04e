"""handler500: a database that does not answer is a 503 with a message to retry, not a 500."""

from django.db import OperationalError

from core.views import server_error


def test_a_database_error_is_refused_with_503_a_message_and_retry_after(rf):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.post("/reports/1/nop/"))
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "chưa được lưu" in body and "thử lại" in body
    assert "server closed" not in body


def test_other_errors_stay_500(rf):
    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500 and "boom" not in response.content.decode()
