"""Classic (JointJS, SOAR < 5) playbooks → modern playbooks, with a per-block report.

Pure Python, no Django: ``convert_classic(doc) -> Conversion`` (the modern document,
the report and the compiled module).  See ``convert`` for the steps.
"""

from __future__ import annotations

from editor.classic.apps import AppIndex
from editor.classic.convert import Conversion, convert_classic, is_classic
from editor.classic.report import BlockReport, Report

__all__ = ["AppIndex", "BlockReport", "Conversion", "Report", "convert_classic", "is_classic"]
