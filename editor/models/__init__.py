"""Editor data model: playbooks with their versions, and custom functions."""
from editor.models.playbooks import CustomFunction, Playbook, PlaybookVersion
from editor.models.teams import Team

__all__ = ["CustomFunction", "Playbook", "PlaybookVersion", "Team"]
