import datetime

from django.db import migrations, models

DIGEST_START = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def chain_digests(apps, schema_editor):
    """Each digest already sent covers what came after the one before it (the first: everything)."""
    DigestLog = apps.get_model("reports", "DigestLog")
    previous = DIGEST_START
    for log in DigestLog.objects.order_by("covered_until", "pk"):
        log.covers_after = previous
        log.save(update_fields=["covers_after"])
        previous = log.covered_until


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_dashboard_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="digestlog",
            name="covers_after",
            field=models.DateTimeField(null=True, verbose_name="covers submissions after"),
        ),
        migrations.RunPython(chain_digests, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="digestlog",
            name="covers_after",
            field=models.DateTimeField(unique=True, verbose_name="covers submissions after"),
        ),
    ]
