"""Static file storage for the collected (served) build: Django's manifest storage, except
for the files Vite already named by their content.

Vite writes the editor into static/editor/assets with a content hash in every file name
(`main-BksbwIjU.js`), and its chunks import each other by those names (`CodeEditor-*.js`
does `import ... from "./main-BksbwIjU.js"`). Django's manifest storage would hash them a
second time (`main-BksbwIjU.<hash>.js`) and rewrites only CSS, so the page loaded the
renamed entry while the lazy chunks imported the original name: two copies of React on one
page (React error #321, issue 20). Rewriting the imports inside Vite's JavaScript would mean
parsing it; not renaming files that are already content-named is the plain fix: their names
are stable, unique per content and safe to cache forever, which is all the second hash gave.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage

# Everything Vite emits under assets/ carries its content hash (vite.config.js: build.outDir
# is static/editor, the default assetsDir and file names `[name]-[hash].[ext]`).
VITE_ASSETS = "editor/assets/"


def is_vite_asset(name: str) -> bool:
    return name.replace(os.sep, "/").lstrip("/").startswith(VITE_ASSETS)


class ViteManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed manifest storage that keeps Vite's own names (see module doc)."""

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        if is_vite_asset(name):
            # Still recorded in staticfiles.json (as name -> name), so `{% static %}` of a
            # Vite asset works under manifest_strict, and whitenoise still compresses it.
            return name
        return str(super().hashed_name(name, content, filename))

    def url_converter(self, name: str, hashed_files: dict[str, str], template: str | None = None,
                      ignored_blocks: Any = None) -> Callable[[re.Match[str]], str]:
        if is_vite_asset(name):
            # Vite wrote the final URLs into its CSS and source-map comments: leave them as built.
            return lambda match: match[0]
        return super().url_converter(name, hashed_files, template, ignored_blocks)  # type: ignore[no-any-return]
