"""Durable execution of playbook runs: steps, tasks, workers."""
