# Placeholder in the chain of migrations, filled by the work it is named after.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("engine", "0010_audit_trail"),
    ]

    operations: list[migrations.operations.base.Operation] = []
