# Actions and apps (issue 22 item 3): SOAR's `disabled` switch on apps; an asset's last
# connectivity test (SOAR's app_status).
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("engine", "0011_case_work"),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="app",
            name="disabled",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="asset",
            name="last_test",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
