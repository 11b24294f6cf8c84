# Placeholder in the chain of migrations, filled by the work it is named after.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("engine", "0013_people_and_platform"),
    ]

    operations: list[migrations.operations.base.Operation] = []
