"""``load_demo`` hook: import the example playbooks, and give the example apps a demo asset
when their app definitions have been imported (the built-in ones always exist)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from engine import installation
from engine.management.commands.load_demo import demo_loading

# asset name -> app name, as editor/examples/README.md lists them; the built-in apps'
# assets (utilities, http_local) come from engine.catalogue.
EXAMPLE_ASSETS: dict[str, str] = {
    "virustotal": "VirusTotal v3",
    "maxmind": "MaxMind",
    "whois": "WHOIS",
    "pan_firewall": "Palo Alto Networks Firewall",
    "crowdstrike": "CrowdStrike OAuth API",
}


def ensure_example_assets() -> list[str]:
    """Create the missing example assets whose app is installed; returns their names."""
    return installation.ensure_assets(EXAMPLE_ASSETS, description="Demo asset for {app} (simulated)")


@receiver(demo_loading, dispatch_uid="editor.examples.demo")
def _load_examples(sender: Any, **kwargs: Any) -> str:
    from editor.examples import load_examples

    lines = load_examples()
    assets = ensure_example_assets()
    created = sum(1 for line in lines if line.startswith("created"))
    failed = [line for line in lines if line.startswith("failed")]
    out = [f"demo: {created} new example playbooks, {len(lines)} in all"]
    if assets:
        out.append(f"demo: example assets {', '.join(assets)}")
    out.extend(failed)
    return "\n".join(out)
