"""What the training pages are given, built without a request."""

import pytest

from training import presenters


def test_the_finished_course_message_counts_each_outcome():
    text = presenters.finished_message({"completed": 3, "partial": 1, "no_show": 2})
    assert "3 người hoàn thành" in text and "1 tham dự một phần" in text and "2 vắng mặt" in text


@pytest.mark.django_db
def test_an_unknown_code_is_checked_and_not_valid():
    page = presenters.verification(" ab-12 ")
    assert page["checked"] and page["certificate"] is None and page["valid"] is False and page["url"] == ""
    assert page["code"] == "AB12"
