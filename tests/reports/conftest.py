import pytest


@pytest.fixture(autouse=True)
def external_figures(monkeypatch):
    """The training and circulation apps' figures, as the reports app sees them.

    Those apps are developed separately; the reports tests pin what their
    `report_figures` selectors return: {"circulation": {...}, "training": {...}}."""
    figures: dict[str, dict[str, int]] = {"circulation": {}, "training": {}}

    def fake(module_name, *, organisation, start, end):
        return dict(figures.get(module_name, {}))

    monkeypatch.setattr("reports.services._external_figures", fake)
    return figures
