"""The moved Round gets its app's table name; foreign keys to it follow the rename."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0003_round_moved_here"),
        ("declarations", "0005_round_moved_to_rounds"),
    ]

    operations = [
        migrations.AlterModelTable(name="round", table=None),
    ]
