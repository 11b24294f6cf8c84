from __future__ import annotations

from collections import Counter

import pytest
from evaluate_corpus import corpus_datapaths, corpus_files, expected_datapaths

from engine.runtime.evaluate import DatapathError, InMemoryDataSource, collect2, parse_datapath

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not corpus_files(), reason="../shared/corpus/modern is absent"),
]

# Typos in the corpus itself; strict parsing reports them, the runtime reads them as None.
KNOWN_MALFORMED = {"titaniumcloud_url_reputation:action_result.data*.rl.classification."}


def test_it_parses_every_datapath_the_corpus_playbooks_use() -> None:
    datapaths = corpus_datapaths()
    failures = {}
    for text in sorted(datapaths):
        try:
            parse_datapath(text)
        except DatapathError as exc:
            failures[text] = str(exc)
    parsed = len(datapaths) - len(failures)
    print(
        f"\ndatapaths parsed {parsed}/{len(datapaths)} strictly "
        f"({len(failures)} corpus typo(s): {sorted(failures)}); "
        f"from {len({p for ps in datapaths.values() for p in ps})} playbooks"
    )
    print("forms:", dict(Counter(parse_datapath(t, strict=False).kind.value for t in datapaths).most_common()))
    assert len(datapaths) > 800  # the extractor still finds the corpus' datapaths
    assert set(failures) == KNOWN_MALFORMED


def test_it_resolves_every_corpus_datapath_at_runtime_without_raising() -> None:
    datapaths = corpus_datapaths()
    empty = InMemoryDataSource(container_data={"id": 1})
    for text in sorted(datapaths):
        rows = collect2(empty, [text], scope="all")
        assert isinstance(rows, list), text
    print(f"\ndatapaths resolved {len(datapaths)}/{len(datapaths)} (lenient runtime parse)")


def test_the_known_typos_fail_strict_parsing_with_a_located_error() -> None:
    for text in KNOWN_MALFORMED:
        with pytest.raises(DatapathError, match="empty path segment"):
            parse_datapath(text)


def test_it_parses_every_datapath_in_soars_generated_code() -> None:
    datapaths = expected_datapaths()
    failures = {t for t in datapaths if _fails(t)}
    print(f"\ngenerated-code datapaths parsed {len(datapaths) - len(failures)}/{len(datapaths)} strictly")
    assert len(datapaths) > 300
    assert failures <= KNOWN_MALFORMED


def _fails(text: str) -> bool:
    try:
        parse_datapath(text)
    except DatapathError:
        return True
    return False
