"""Engine data model: cases (containers, artifacts, notes), apps and assets, runs."""
from engine.models.apps import App, AppAction, Asset
from engine.models.cases import Artifact, Container, Note, Tag, VaultItem
from engine.models.lists import CustomList
from engine.models.runs import ActionRun, AppRun, PlaybookRun, RunData, RunEvent, RunStep
from engine.models.tokens import ApiToken

__all__ = [
    "ActionRun", "ApiToken", "App", "AppAction", "AppRun", "Artifact", "Asset", "Container",
    "CustomList", "Note", "PlaybookRun", "RunData", "RunEvent", "RunStep", "Tag", "VaultItem",
]
# Appended by the custom-functions work (workbooks, indicators, evidence).
from engine.models.workbooks import (  # noqa: E402
    ContainerPhase,
    ContainerTask,
    ContainerWorkbook,
    Evidence,
    Indicator,
    WorkbookPhaseTemplate,
    WorkbookTaskTemplate,
    WorkbookTemplate,
)

__all__ += [
    "ContainerPhase", "ContainerTask", "ContainerWorkbook", "Evidence", "Indicator", "WorkbookPhaseTemplate",
    "WorkbookTaskTemplate", "WorkbookTemplate",
]

from engine.models.pins import Pin, StoredValue  # noqa: E402

__all__ += ["Pin", "StoredValue"]

from engine.models.audit import AuditEntry  # noqa: E402

__all__ += ["AuditEntry"]

from engine.models.casework import CefField, ContainerComment, ContainerStatus, CustomField, Severity  # noqa: E402

__all__ += ["CefField", "ContainerComment", "ContainerStatus", "CustomField", "Severity"]

from engine.models.platform import FeatureFlag, UserProfile  # noqa: E402

__all__ += ["FeatureFlag", "UserProfile"]
