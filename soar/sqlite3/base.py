"""Django's SQLite backend with cheaper savepoints.

The engine wraps every step of a batch in a savepoint (`transaction.atomic()`), so an
engine error undoes that step only. Django issues SAVEPOINT and RELEASE through a fresh
cursor wrapper each time (a new driver cursor, the placeholder rewrite, the execute
wrappers): about a twentieth of a step's time. Creating and releasing a savepoint changes
no data, so those two go straight to the driver. Rolling back to one does change data,
and stays on Django's path, where execute wrappers (the engine's batch read cache) see it.
Django's own `Atomic` logic (savepoint ids, on_commit hooks, needs_rollback) is untouched.
"""
from __future__ import annotations

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def _savepoint(self, sid: str) -> None:
        self._direct(self.ops.savepoint_create_sql(sid))

    def _savepoint_commit(self, sid: str) -> None:
        self._direct(self.ops.savepoint_commit_sql(sid))

    def _direct(self, sql: str) -> None:
        if self.queries_logged:
            # connection.queries and assertNumQueries list savepoints: keep them listed.
            with self.cursor() as cursor:
                cursor.execute(sql)
            return
        with self.wrap_database_errors:
            self.connection.execute(sql)
