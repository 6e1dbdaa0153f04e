from django.db import migrations

# The defaults of notifications.services at the time of writing, so that a new database has
# a rule per kind of deadline to edit in the admin.
EVENT_KINDS = {"meeting", "training_session"}
KINDS = [
    "report_due",
    "meeting",
    "training_session",
    "rotation_due",
    "route_move",
    "action_item",
    "inspection_followup",
    "plan_approval",
]


def create_rules(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for kind in KINDS:
        event = kind in EVENT_KINDS
        ReminderRule.objects.get_or_create(
            kind=kind,
            defaults={"offsets": "-7, -3, -1, 0" if event else "-7, -3, -1, 0, 1, 7", "escalate_overdue": not event},
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
