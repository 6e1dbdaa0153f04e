"""The bodies of the API's answers that are built from several reads, without a request."""

from types import SimpleNamespace

from api import presenters


def _summary(status, *, outcomes=(), conflicts=(), dry_run=False):
    outcomes = list(outcomes)
    return SimpleNamespace(
        status=status,
        dry_run=dry_run,
        atomic=True,
        written=status != "ERROR" and not dry_run,
        conflicts=list(conflicts),
        reports=1,
        values=[],
        count=outcomes.count,
    )


def test_a_dry_run_without_conflict_says_nothing_was_written():
    body, code = presenters.import_summary(_summary("SUCCESS", outcomes=["imported", "updated"], dry_run=True))
    assert code == 200 and "chưa ghi gì" in body["description"]
    assert (body["imported"], body["updated"], body["ignored"], body["conflicts"]) == (1, 1, 0, 0)


def test_a_conflict_in_an_atomic_import_is_a_409_that_wrote_nothing():
    body, code = presenters.import_summary(_summary("ERROR", conflicts=["GD02"]))
    assert code == 409 and body["description"] == "Không ghi giá trị nào: 1 giá trị có xung đột."
