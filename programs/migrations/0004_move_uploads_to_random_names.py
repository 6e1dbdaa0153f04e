"""Existing uploads leave their original (public, guessable) names: each file moves to a
random name, its original name is kept in the row (and in the rows' history)."""

from django.core.files.storage import default_storage
from django.db import migrations

from core.files import move_to_random_name

# model, file field, original-name field, prefix
FIELDS = [
    ("Programme", "original_file", "original_file_name", "programs/programmes"),
    ("ProgressEvidence", "file", "original_name", "programs/evidence"),
    ("Meeting", "minutes_file", "minutes_file_name", "programs/minutes"),
]


def forwards(apps, schema_editor):
    for model_name, field, name_field, prefix in FIELDS:
        model = apps.get_model("programs", model_name)
        history = apps.get_model("programs", f"Historical{model_name}")
        for row in model.objects.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True}).iterator():
            old = getattr(row, field).name
            if old.startswith(f"{prefix}/") and len(old.rsplit("/", 1)[-1].split(".")[0]) == 32:
                continue  # already moved
            new, original = move_to_random_name(default_storage, old, prefix)
            model.objects.filter(pk=row.pk).update(**{field: new, name_field: original})
            history.objects.filter(**{field: old}).update(**{field: new, name_field: original})


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_private_file_names")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
