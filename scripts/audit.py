"""Supply-chain audit for `make lint`: pip-audit over the installed packages.

Fails on any known vulnerability. pip-audit asks PyPI's per-release JSON API
(/pypi/NAME/VERSION/json); where that answers 404 (this workplace's network does), pip-audit
skips every package. Then each skipped package is looked up in PyPI's per-project JSON
(/pypi/NAME/json), whose "vulnerabilities" describe the latest release only: a package
installed at its latest release is audited that way, and any other is listed as not audited
rather than passed off as clean.

Fails too, with one line saying why, when the audit did not really happen: pip-audit crashed or
gave no package list, no package at all could be audited, or more than a few could not be.
"""

import json
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata

OWN = "survivorapp"  # installed editable: our own code, audited by ruff and bandit instead
# Packages a release or two behind their latest cannot be audited through the project data. A
# few are expected between upgrades, and listed; more means the audit mostly did not happen.
MAX_NOT_AUDITED = 5


def fail(reason: str) -> None:
    print(f"audit FAILED: {reason}")
    sys.exit(1)


def pip_audit_dependencies() -> list[dict]:
    """pip-audit's list of installed packages (audited or skipped), or fail."""
    command = [sys.executable, "-m", "pip_audit", "--skip-editable"]
    command += ["--progress-spinner", "off", "--format", "json"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as error:
        fail(f"pip-audit did not run: {error}")
    try:
        report = json.loads(result.stdout)
    except ValueError:
        said = (result.stderr.strip().splitlines() or ["nothing on stderr"])[-1][:300]
        fail(f"pip-audit gave no package list (exit {result.returncode}; {said})")
    deps = report.get("dependencies") if isinstance(report, dict) else None
    if not deps or not all(isinstance(d, dict) and d.get("name") for d in deps):
        listed = f"dependencies: {deps!r:.80}"
        fail(f"pip-audit gave no package list (exit {result.returncode}; {listed})")
    return deps


def latest_release_vulns(dep: dict) -> tuple[dict, list[str] | None]:
    """Known vulnerability ids of the installed release when it is the latest; None when the
    installed release is older (or PyPI cannot be asked) and so cannot be looked up here; then
    dep["why"] says which."""
    try:
        dep = {**dep, "version": dep.get("version") or metadata.version(dep["name"])}
    except metadata.PackageNotFoundError:
        return {**dep, "version": "?", "why": "not installed"}, None
    url = f"https://pypi.org/pypi/{dep['name']}/json"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            project = json.load(response)
    except (OSError, ValueError):
        return {**dep, "why": "PyPI did not answer"}, None
    latest = project.get("info", {}).get("version")
    if latest != dep["version"]:
        return {**dep, "why": f"latest is {latest}"}, None
    return dep, [v["id"] for v in project.get("vulnerabilities", []) if not v.get("withdrawn")]


deps = [d for d in pip_audit_dependencies() if d["name"] != OWN]
checked = [d for d in deps if "skip_reason" not in d]
skipped = [d for d in deps if "skip_reason" in d]
vulnerable = [(d, [v["id"] for v in d.get("vulns", [])]) for d in checked if d.get("vulns")]
unknown: list[str] = []
if skipped:
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(latest_release_vulns, skipped))
    vulnerable += [(d, ids) for d, ids in found if ids]
    unknown = sorted(f"{d['name']} {d['version']} ({d['why']})" for d, ids in found if ids is None)
    print(
        f"audit: pip-audit could not look up {len(skipped)} packages; "
        f"{len(skipped) - len(unknown)} of them are at their latest release and were audited "
        "through PyPI's project data."
    )
for dep, ids in vulnerable:
    print(f"VULNERABLE {dep['name']} {dep['version']}: {', '.join(ids)}")
audited = len(deps) - len(unknown)
print(
    f"audit: {audited} of {len(deps)} packages audited, "
    f"{len(vulnerable)} with known vulnerabilities."
)
if unknown:
    print(f"NOT AUDITED ({len(unknown)}):", ", ".join(unknown))
if vulnerable:
    sys.exit(1)
if audited == 0:
    fail(f"none of {len(deps)} packages could be audited (is PyPI reachable?)")
if len(unknown) > MAX_NOT_AUDITED:
    fail(f"{len(unknown)} packages could not be audited; at most {MAX_NOT_AUDITED} may be")
