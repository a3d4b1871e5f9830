"""The deploy workflow: the whole suite before every deploy, except the fast
path for pushes of approved comments only (site_tools/deploy_scope.py)."""

from __future__ import annotations

import yaml

from tests.support.sitebuild import ROOT

WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
JOBS = WORKFLOW["jobs"]


def runs(job: str) -> list[str]:
    return [step.get("run", "") for step in JOBS[job]["steps"]]


def test_the_whole_suite_is_exactly_the_readmes_command():
    assert "bash .ci/run" in runs("test")
    assert JOBS["test"]["needs"] == "scope" and JOBS["test"]["if"] == "needs.scope.outputs.scope != 'comments'"


def test_publish_waits_for_the_suite_or_takes_the_fast_path_for_comments_only():
    publish = JOBS["publish"]
    assert set(publish["needs"]) == {"scope", "test"}
    condition = " ".join(publish["if"].split())
    assert "needs.test.result == 'success'" in condition
    assert "(needs.test.result == 'skipped' && needs.scope.outputs.scope == 'comments')" in condition
    steps = [step.get("run") or step.get("uses") or "" for step in publish["steps"]]
    # make publish checks every comment file and link; it runs before any deploy step, on both paths
    assert steps.index("make publish") < min(i for i, s in enumerate(steps) if "deploy" in s)
    assert "if" not in publish["steps"][steps.index("make publish")]


def test_the_scope_comes_from_the_tested_script():
    [scope_step] = [s for s in runs("scope") if s]
    assert "site_tools/deploy_scope.py" in scope_step and (ROOT / "site_tools" / "deploy_scope.py").exists()
    assert JOBS["scope"]["steps"][0]["with"]["fetch-depth"] == 0  # the push's first commit must be in the clone


def test_it_deploys_to_cloudflare_pages_when_configured_and_to_github_pages_otherwise():
    """Cloudflare Pages applies output/_headers; GitHub Pages ignores it (README, "Where to host it")."""
    steps = JOBS["publish"]["steps"]
    cloudflare = [s for s in steps if s.get("uses", "").startswith("cloudflare/wrangler-action@")]
    pages = [s for s in steps if s.get("uses", "").startswith(("actions/upload-pages-artifact@", "actions/deploy-pages@"))]
    assert [s["if"] for s in cloudflare] == ["vars.CLOUDFLARE_PROJECT != ''"]
    assert "pages deploy output" in cloudflare[0]["with"]["command"]
    assert pages and all(s["if"] == "vars.CLOUDFLARE_PROJECT == ''" for s in pages)
