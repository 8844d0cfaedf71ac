"""Check results for people and programs: compiler-style text, JSON, the summary and the exit code."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Iterator

from reportgen.check.engine import ReportCheck
from reportgen.errors import printable


def summary(results: list[ReportCheck], strict: bool = False) -> dict[str, int]:
    ready = sum(r.ready(strict) for r in results)
    return {"reports": len(results), "ready": ready, "not_ready": len(results) - ready,
            "errors": sum(r.count("error") for r in results), "warnings": sum(r.count("warning") for r in results),
            "info": sum(r.count("info") for r in results), "unusable": sum(r.unusable is not None for r in results)}


def summary_line(results: list[ReportCheck], strict: bool = False) -> str:
    s = summary(results, strict)
    plural = "report" if s["reports"] == 1 else "reports"
    return (f"{s['reports']} {plural}: {s['ready']} ready, {s['not_ready']} not ready "
            f"({s['errors']} errors, {s['warnings']} warnings)")


def format_text(results: list[ReportCheck], strict: bool = False) -> Iterator[str]:
    """Compiler-style lines grouped by report, then the summary line."""
    for r in results:
        state = "unusable" if r.unusable else ("ready" if r.ready(strict) else "not ready")
        yield printable(f"{r.path} [{r.style or '?'}]: {state}")
        if r.unusable is not None:
            problems = r.unusable.problems or []
            yield from (p.located("error INPUT:") for p in problems)
            if not problems:
                yield printable(f"{r.path}: error INPUT: {r.unusable}")
        yield from (str(f) for f in r.findings)
    yield summary_line(results, strict)


def format_json(results: list[ReportCheck], strict: bool = False) -> str:
    reports = []
    for r in results:
        findings = [dict((k, v) for k, v in asdict(f).items() if k != "col") for f in r.findings]
        if r.unusable is not None:
            findings += [{"rule": "INPUT", "severity": "error", "message": p.message, "hint": "fix the input",
                          "file": str(p.file), "line": p.line, "key": p.key} for p in r.unusable.problems] or [
                {"rule": "INPUT", "severity": "error", "message": str(r.unusable), "hint": "fix the input",
                 "file": str(r.path), "line": 1, "key": ""}]
        reports.append({"path": str(r.path), "title": r.title, "style": r.style, "ready": r.ready(strict),
                        "findings": findings})
    return json.dumps({"reports": reports, "summary": summary(results, strict)}, indent=2, ensure_ascii=False)


def exit_code(results: list[ReportCheck], strict: bool = False) -> int:
    """0 when nothing fails, 1 when findings fail, 2 when some input is unusable."""
    if any(r.unusable is not None for r in results):
        return 2
    return 0 if all(r.ready(strict) for r in results) else 1


