# Placeholder in the chain of migrations, filled by the work it is named after.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("engine", "0012_actions_and_apps"),
    ]

    operations: list[migrations.operations.base.Operation] = []
