"""The registry of what each app provides to the shell (core.registry)."""

from django.apps import apps

from core import registry


def test_every_domain_app_is_a_portal_app_and_declares_everything():
    labels = [c.label for c in registry.portal_apps()]
    assert labels == ["directory", "programs", "reports", "training", "circulation", "notifications", "api"]
    for config in registry.portal_apps():
        for name in registry.PROVIDES:
            assert hasattr(type(config), name), (config.label, name)


def test_providers_follow_the_declarations():
    assert [app for app, _ in registry.providers("deadlines")] == ["programs", "reports", "training", "circulation"]
    assert [app for app, _ in registry.providers("report_figures")] == ["programs", "training", "circulation"]
    assert registry.provider("reports", "report_figures") is None
    assert [name for name, _ in registry.health_checks()] == ["emails"]
    assert [app for app, _ in registry.providers("notify")] == ["notifications"]
    assert list(registry.history_kinds()) == [
        "plan",
        "activity",
        "meeting",
        "report",
        "course",
        "collection",
        "rotation",
    ]


def test_demo_data_is_seeded_in_the_declared_order():
    order = [app for app, _ in registry.demo_seeders()]
    assert order == ["directory", "programs", "training", "circulation", "reports", "notifications"]
    assert apps.get_app_config("api").demo_seed is None
