"""`shop audit`: known vulnerabilities in the pinned packages (pip-audit over backend/constraints.txt).

pip-audit reports a package it could not look up (no route to the vulnerability service, or a package
the service does not know) as skipped, and still ends with "No known vulnerabilities found". Here a
skipped package is "not checked", and a run in which anything went unchecked never reads as a pass.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class AuditResult:
    checked: int = 0
    vulnerable: dict[str, list[str]] = field(default_factory=dict)  # "name==version" -> advisory ids
    unchecked: dict[str, str] = field(default_factory=dict)  # name -> why
    error: str | None = None  # pip-audit itself failed

    @property
    def passed(self) -> bool:
        return not (self.vulnerable or self.unchecked or self.error)

    def lines(self, source: Path, service: str) -> list[str]:
        if self.error:
            return [f"NOT CHECKED: pip-audit failed: {self.error}"]
        lines = [f"{name}: {', '.join(ids)}" for name, ids in sorted(self.vulnerable.items())]
        if self.vulnerable:
            lines.insert(0, f"VULNERABLE: {len(self.vulnerable)} pinned packages have known advisories:")
        if self.unchecked:
            # Nothing at all looked up: the service is out of reach (it knows fastapi and numpy).
            unreachable = self.checked == 0
            lines.append(
                f"NOT CHECKED: {len(self.unchecked)} of {self.checked + len(self.unchecked)} packages"
                f" could not be looked up in the {service} vulnerability service"
                + (
                    " (it cannot be reached from here: run `shop audit` on a machine that can)."
                    if unreachable
                    else "."
                )
            )
            lines.extend(f"  {name}: {why}" for name, why in sorted(self.unchecked.items())[:5])
            if len(self.unchecked) > 5:
                lines.append(f"  ... and {len(self.unchecked) - 5} more")
        if self.passed:
            lines.append(f"No known vulnerabilities in the {self.checked} packages pinned in {source}.")
        return lines


def pip_audit_command() -> list[str] | None:
    found = shutil.which("pip-audit", path=str(Path(sys.executable).parent)) or shutil.which("pip-audit")
    return [found] if found else None


def audit(source: Path, service: str = "pypi", timeout_s: float = 600) -> AuditResult:
    command = pip_audit_command()
    if command is None:
        return AuditResult(error="pip-audit is not installed (make install-dev installs it)")
    run = subprocess.run(
        [*command, "-r", str(source), "--no-deps", "--disable-pip", "--vulnerability-service", service,
         "--format", "json", "--progress-spinner", "off", "--timeout", "15"],
        capture_output=True, text=True, timeout=timeout_s,
    )  # fmt: skip
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        last = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        return AuditResult(error=last)
    return read_report(report)


def read_report(report: dict) -> AuditResult:
    result = AuditResult()
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            result.unchecked[dependency["name"]] = dependency["skip_reason"]
            continue
        result.checked += 1
        if dependency.get("vulns"):
            key = f"{dependency['name']}=={dependency.get('version', '?')}"
            result.vulnerable[key] = [vuln["id"] for vuln in dependency["vulns"]]
    return result
