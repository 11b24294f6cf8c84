"""Pure evaluation core of the ``phantom.rules`` runtime (no Django, no DB).

Datapaths (`parse_datapath`, `resolve`, `collect2`, `collect`), conditions
(`evaluate_condition`, `condition`, `decision`) and format templates (`format_template`)
evaluated against any `DataSource`. The DB-backed runtime implements `DataSource`;
`InMemoryDataSource` is the reference implementation used by the tests.
"""

from __future__ import annotations

from ._collect import collect, collect2, resolve
from ._compare import OPERATORS, OperatorError, evaluate_condition
from ._conditions import DecisionOutcome, FilterOutcome, TraceEntry, condition, decision
from ._datapath import STAR, Datapath, DatapathError, Kind, is_datapath, parse_datapath, try_parse_datapath
from ._format import FormatOutcome, format_template, get_format_data
from ._items import DEFAULT_LIMIT
from ._source import DataSource, FilteredSet, FormatData, InMemoryDataSource, Scope

__all__ = [
    "DEFAULT_LIMIT",
    "OPERATORS",
    "STAR",
    "DecisionOutcome",
    "FilterOutcome",
    "FormatOutcome",
    "OperatorError",
    "TraceEntry",
    "condition",
    "decision",
    "evaluate_condition",
    "format_template",
    "get_format_data",
    "DataSource",
    "Datapath",
    "DatapathError",
    "FilteredSet",
    "FormatData",
    "InMemoryDataSource",
    "Kind",
    "Scope",
    "collect",
    "collect2",
    "is_datapath",
    "parse_datapath",
    "resolve",
    "try_parse_datapath",
]
