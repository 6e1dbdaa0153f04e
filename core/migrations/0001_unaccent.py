from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """PostgreSQL's unaccent backs accent-insensitive search (a no-op on SQLite)."""

    initial = True
    dependencies = []
    operations = [UnaccentExtension()]
