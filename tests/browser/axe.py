"""axe-core in the page under test: the accessibility rules a screen-reader user depends on.

axe-core is vendored from the npm registry (``src/clusterdesk/portal/static/vendor/axe-core``,
see its VERSION file); it is injected here, into the tested tab only, and no page of the site
loads it. The site's Content-Security-Policy allows no inline script, so the browser context
that runs it is opened with ``bypass_csp`` (``axe_context``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_DIR = Path(__file__).resolve().parents[2] / "src/clusterdesk/portal/static/vendor/axe-core"
AXE_JS = AXE_DIR / "axe.min.js"
# What the brief holds to zero; "moderate" and "minor" are reported but do not fail a page.
BLOCKING = ("serious", "critical")


def axe_version() -> str:
    return AXE_JS.read_text(encoding="utf-8")[:40].split("axe v", 1)[1].split()[0]


def run_axe(page) -> list[dict[str, Any]]:
    """The violations axe finds on the page as it is now (WCAG 2.x A/AA and best practices)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {
                resultTypes: ['violations'],
                runOnly: {type: 'tag', values: [
                    'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'
                ]},
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(' '), html: n.html.slice(0, 200),
                    summary: n.failureSummary,
                })),
            }));
        }"""
    )


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]], limit: int = 5) -> str:
    """One paragraph per violation with its first elements, for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:limit]:
            lines.append(f"    {node['target']}  {node['html']}")
        if len(violation["nodes"]) > limit:
            lines.append(f"    … {len(violation['nodes']) - limit} more")
    return "\n".join(lines)
