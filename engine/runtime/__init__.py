"""The `phantom.rules` runtime that playbook code sees, and its per-step context.

`engine.runtime.phantom` is installed under the import name `phantom` (see
`engine.runtime.install`), so compiled playbooks and SOAR's own generated modules can
`import phantom.rules as phantom` unchanged.
"""
