"""Installed as the `phantom` package for playbook code (see engine.runtime.install)."""
