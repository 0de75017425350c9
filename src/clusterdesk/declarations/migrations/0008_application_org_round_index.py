from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0007_revision_source_restore"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["organisation", "round", "id"], name="application_org_round_id"
            ),
        ),
    ]
