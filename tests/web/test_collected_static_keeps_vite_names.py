"""Collected static files (soar/staticstorage.py): Vite's content-named assets keep their
names, so its lazy chunks import the very entry file the page loads (issue 20: a second hash
on the entry loaded React twice); Django's own files still get the manifest's hash, and
both are cached forever."""
from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from soar.staticstorage import ViteManifestStaticFilesStorage

SOURCES = {
    "editor/assets/main-BksbwIjU.js": 'const l=()=>import("./CodeEditor-BjesOKcM.js");\n//# sourceMappingURL=main-BksbwIjU.js.map\n',
    "editor/assets/main-BksbwIjU.js.map": "{}",
    "editor/assets/CodeEditor-BjesOKcM.js": 'import{r as R}from"./main-BksbwIjU.js";export default R;\n',
    "editor/assets/main-BoSPx_F7.css": ".x{background:url(./logo-Dq1w2e3r.svg)}\n",
    "editor/assets/logo-Dq1w2e3r.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "css/app.css": "body{margin:0}\n",
}


def collect(tmp_path: Path) -> ViteManifestStaticFilesStorage:
    source = FileSystemStorage(location=tmp_path / "src")
    for name, text in SOURCES.items():
        (tmp_path / "src" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / name).write_text(text, encoding="utf-8")
    storage = ViteManifestStaticFilesStorage(location=tmp_path / "root", base_url="/static/")
    for name in SOURCES:
        with source.open(name) as fh:
            storage.save(name, fh)
    outcomes = list(storage.post_process({name: (source, name) for name in SOURCES}))
    assert not [o for o in outcomes if isinstance(o[2], Exception)], outcomes
    return ViteManifestStaticFilesStorage(location=tmp_path / "root", base_url="/static/")


def test_vite_assets_keep_their_names_and_contents_when_collected(tmp_path: Path) -> None:
    storage = collect(tmp_path)
    for name, text in SOURCES.items():
        if name.startswith("editor/assets/"):
            assert storage.url(name) == f"/static/{name}"
            assert (tmp_path / "root" / name).read_text(encoding="utf-8") == text
    # The chunk imports the entry by the name the page loads it under.
    entry = storage.url("editor/assets/main-BksbwIjU.js").rsplit("/", 1)[1]
    assert f'from"./{entry}"' in SOURCES["editor/assets/CodeEditor-BjesOKcM.js"]
    assert not list((tmp_path / "root" / "editor" / "assets").glob("main-BksbwIjU.*.js"))
    manifest = json.loads((tmp_path / "root" / "staticfiles.json").read_text(encoding="utf-8"))
    assert manifest["paths"]["editor/assets/main-BksbwIjU.js"] == "editor/assets/main-BksbwIjU.js"


def test_django_files_still_get_the_manifest_hash(tmp_path: Path) -> None:
    storage = collect(tmp_path)
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", storage.url("css/app.css"))


def test_both_kinds_of_names_are_cached_forever() -> None:
    immutable = re.compile(settings.WHITENOISE_IMMUTABLE_FILE_TEST)
    assert immutable.search("/static/editor/assets/main-BksbwIjU.js")
    assert immutable.search("/static/css/app.0123456789ab.css")
    assert not immutable.search("/static/css/app.css")
    assert not immutable.search("/favicon.ico")
