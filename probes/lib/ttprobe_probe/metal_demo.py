"""A probe that passes when one chosen test of a tt-metal demo passes and its output came off a device."""

from __future__ import annotations

from .metal import Demo, chips_used, find_demo, metal_home, pick_one, require_tt_target
from .metal_pytest import collect, record_placement, run_test
from .run import ProbeRun


def demo_probe(probe_id: str, what: str, demos: list[Demo]) -> None:
    with ProbeRun(probe_id) as run:
        run.require("ttnn", "pytest")
        home = metal_home(run)
        require_tt_target(run)
        run.versions_of("ttnn")
        demo = find_demo(run, home, demos, what)
        item = pick_one(run, collect(run, home, demo.path), demo, what)
        run.detail("chips", chips_used(item))
        run.stage("setup")
        with run.timer("execute"):
            report = run_test(run, home, item["nodeid"])
        record_placement(run, report, item["nodeid"])
        run.passed(f"{item['nodeid']} passed; output read back from {report['lastDevice']['device'] if report.get('lastDevice') else 'the host'}")
