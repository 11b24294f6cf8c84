"""Signals of the REST toolkit. `rest_write` is sent after every create, update and delete
the generic resources make, inside their transaction, so an app can keep an audit trail
(engine.audit) without the toolkit knowing about it.

Arguments: request, action ("create" | "update" | "delete"), object_type (the REST type
name), object_id, obj (the row; for a delete, as it was), data (the body).
"""
from __future__ import annotations

from django.dispatch import Signal

rest_write = Signal()
