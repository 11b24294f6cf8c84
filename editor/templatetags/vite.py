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


def manifest_path() -> Path:
    """Vite's manifest of the files served: the build itself when static files come from the
    source folders, else `collectstatic`'s copy, so a rebuild after collecting cannot make
    the page name files that were never collected."""
    if settings.STATIC_FROM_SOURCE:
        return Path(settings.BASE_DIR) / "static" / "editor" / "manifest.json"
    return Path(settings.STATIC_ROOT) / "editor" / "manifest.json"


@lru_cache(maxsize=4)
def _manifest(path: Path, mtime: float) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@register.simple_tag
def vite_assets(entry: str) -> SafeString:
    path = manifest_path()
    if not path.exists():
        return format_html('<p class="error" data-testid="frontend-missing">{}</p>',
                           "The editor front end is not built (or not collected): run `make run` (it builds editor/frontend).")
    chunk = _manifest(path, path.stat().st_mtime).get(entry)
    if chunk is None:
        return format_html('<p class="error">{}</p>', f"{entry} is not in the Vite manifest")
    styles = format_html_join("", '<link rel="stylesheet" href="{}">', ((static(f"editor/{css}"),) for css in chunk.get("css", [])))
    script = format_html('<script type="module" src="{}"></script>', static(f"editor/{chunk['file']}"))
    return SafeString(styles + script)
