"""The vocabulary of the quality gates (质量闸门): rules, their results and a gate's outcome.

``ExpectationSpec`` is one rule (a GX expectation plus severity, GB/T 36344 dimension, bilingual
explanation and fix); ``ExpectationResult`` its outcome; ``GateResult`` one checkpoint at one
hand-over point. Suites (quality.suites) build specs; quality.checkpoint runs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["blocking", "warning"]
SEVERITIES = ("blocking", "warning")
# GB/T 36344-2018 data quality dimensions
DIMENSIONS = ("conformity", "completeness", "accuracy", "consistency", "timeliness", "accessibility")
DIMENSIONS_ZH = {"conformity": "规范性", "completeness": "完整性", "accuracy": "准确性",
                 "consistency": "一致性", "timeliness": "时效性", "accessibility": "可访问性"}
# hand-over points (交换节点) where a checkpoint decides whether data may pass
HANDOVERS = ("department_to_raw", "raw_to_staging", "staging_to_base", "base_to_theme", "library_to_export")
SAMPLE_SIZE = 20
UNEXPECTED_ROWS = "UnexpectedRowsExpectation"


@dataclass(frozen=True)
class ExpectationSpec:
    """One rule: a GX expectation plus what citylake needs to act on it and explain it."""

    type: str                      # GX expectation class, e.g. "ExpectColumnValuesToNotBeNull"
    kwargs: dict[str, Any]
    severity: Severity
    dimension: str                 # one of DIMENSIONS
    description_en: str
    description_zh: str
    source: str                    # where the rule comes from, e.g. "feed psb_household: primary_key"
    key: str = ""                  # stable id of the rule within its suite (derived if empty)
    tolerance: float = 0.0         # share of rows allowed to fail (UnexpectedRows: applied by the gate)
    pii: str = "none"              # pii class of the checked column (masking of samples)
    fix_en: str = ""               # what the data owner should do
    fix_zh: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}: {self.severity!r}")
        if self.dimension not in DIMENSIONS:
            raise ValueError(f"dimension must be one of {DIMENSIONS}: {self.dimension!r}")
        if not self.key:
            col = self.kwargs.get("column") or "+".join(self.kwargs.get("column_list", [])) or "table"
            object.__setattr__(self, "key", f"{_snake(self.type)}:{col}")

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column") or ",".join(self.kwargs.get("column_list", [])) or None

    def to_gx(self):  # noqa: ANN201 - a GX Expectation
        import great_expectations.expectations as gxe

        cls = getattr(gxe, self.type, None)
        if cls is None:
            raise ValueError(f"GX has no expectation {self.type!r}")
        kwargs = dict(self.kwargs)
        if self.tolerance and self.type != UNEXPECTED_ROWS:
            kwargs["mostly"] = 1.0 - self.tolerance
        meta = {"citylake_key": self.key, "severity": self.severity, "dimension": self.dimension,
                "description_zh": self.description_zh, "rule_source": self.source}
        return cls(**kwargs, meta=meta, description=self.description_en or None)


@dataclass
class ExpectationResult:
    spec: ExpectationSpec
    success: bool
    unexpected_count: int | None = None
    element_count: int | None = None
    unexpected_percent: float | None = None
    observed_value: Any = None
    sample: list = field(default_factory=list)   # masked
    error: str | None = None

    @property
    def blocking_failure(self) -> bool:
        return not self.success and self.spec.severity == "blocking"


@dataclass
class GateResult:
    dataset: str
    relation: str
    handover: str
    run_date: str
    run_id: str
    suite: str
    department: str | None
    results: list[ExpectationResult]
    row_count: int | None
    started_at: str
    seconds: float
    gx_seconds: float
    data_docs: str | None = None

    @property
    def passed(self) -> bool:
        return not any(r.blocking_failure for r in self.results)

    @property
    def blocking_failures(self) -> list[ExpectationResult]:
        return [r for r in self.results if r.blocking_failure]

    @property
    def warnings(self) -> list[ExpectationResult]:
        return [r for r in self.results if not r.success and r.spec.severity == "warning"]

    def summary(self) -> dict:
        failed = [r.spec.key for r in self.blocking_failures]
        return {
            "dataset": self.dataset, "handover": self.handover, "run_date": self.run_date,
            "run_id": self.run_id, "passed": self.passed, "expectations": len(self.results),
            "failed": failed, "warnings": [r.spec.key for r in self.warnings],
            "row_count": self.row_count, "seconds": round(self.seconds, 3),
            "gx_seconds": round(self.gx_seconds, 3),
            "summary": (f"{len(failed)} blocking / {len(self.warnings)} warning failed of {len(self.results)}"
                        + (f": {', '.join(failed)}" if failed else "")),
        }


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()

