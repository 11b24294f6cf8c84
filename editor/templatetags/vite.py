"""`{% vite_assets "src/main.jsx" %}`: the script and style tags of a Vite-built entry."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()
MANIFEST = Path(settings.BASE_DIR) / "static" / "editor" / ".vite" / "manifest.json"


@lru_cache(maxsize=4)
def _manifest(mtime: float) -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@register.simple_tag
def vite_assets(entry: str) -> SafeString:
    if not MANIFEST.exists():
        return format_html('<p class="error" data-testid="frontend-missing">{}</p>',
                           "The editor front end is not built: run `make run` (it builds editor/frontend).")
    chunk = _manifest(MANIFEST.stat().st_mtime).get(entry)
    if chunk is None:
        return format_html('<p class="error">{}</p>', f"{entry} is not in the Vite manifest")
    styles = format_html_join("", '<link rel="stylesheet" href="{}">', ((static(f"editor/{css}"),) for css in chunk.get("css", [])))
    script = format_html('<script type="module" src="{}"></script>', static(f"editor/{chunk['file']}"))
    return SafeString(styles + script)
