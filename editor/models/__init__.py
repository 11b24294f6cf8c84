"""Editor data model: playbooks with their versions, and custom functions."""
from editor.models.playbooks import CustomFunction, Playbook, PlaybookVersion

__all__ = ["CustomFunction", "Playbook", "PlaybookVersion"]
