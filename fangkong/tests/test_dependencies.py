"""The dependency table of docs/architecture.md, checked against every module's imports.

Every `.py` file under `fangkong/` (tests and migrations aside: tests build fixtures from any app, and migrations
name other apps as strings) is parsed with `ast`; every `import fangkong.…` and `from fangkong… import …`,
including those inside functions and under TYPE_CHECKING, is an edge. A new upward import fails here, with the
module and line, instead of growing into a cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]

# The foundation, lowest layer first. A foundation module may import its own layer within its own app, and any
# lower layer. Each app's models sit low and its pages high: the region tree lies under the audit writer (an audit
# event names its region) while the tree's changes are audited, and the pages of regions and audit need the
# permission table (accounts) and the people counts (people), so they sit on top of the whole foundation.
FOUNDATION_LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("lib", ("lib",)),
    ("the region tree", ("regions.models", "regions.apps", "regions")),
    (
        "the audit writer",
        (
            "audit.models",
            "audit.actions",
            "audit.middleware",
            "audit.display",
            "audit.templatetags",
            "audit.apps",
        ),
    ),
    ("changes to the tree", ("regions.actions", "regions.management")),
    ("accounts and the access layer", ("accounts",)),
    ("people", ("people",)),
    ("pages of regions and audit", ("regions.views", "regions.urls", "regions.queries", "audit")),
]
FOUNDATION = {"lib", "regions", "audit", "accounts", "people"}

# Domain apps import the foundation and, of each other, only these public modules (architecture.md, "Apps").
PUBLIC_MODULES = {
    "screening.measures",  # the measures a classification gives (push-list verification reads them)
    "screening.figures",  # the screening figures, registered as report sources
    "screening.public",  # a person's 双报告 state
    "pushlists.figures",
    "duty.public",  # who is on duty where
    "reporting.summary",  # a day's figures for the briefing
    "reporting.sources",  # the registry other apps publish their figures into from `ready()`
    "supplies.public",  # draw items from a unit's warehouse (the testing app, when a pool closes)
    "reporting.actions.notifications",  # in-app notifications (supervision notices and items)
    "screening.signals",  # a returnee classified, risk areas published (control listens)
    "pushlists.signals",  # a push item verified (control listens)
    "reporting.actions",  # the reporting action API: control sends an urgent report on a follow-up alert
    "reporting.actions.urgent",  # the urgent report (专题报送) other apps raise (a positive pool)
    "notify.public",  # start an SMS campaign
    "testing.signals",  # results known, a positive pool (control listens)
    "supervision.public",  # open a rectification item from another module's finding (checkpoint spot checks)
    "checkpoints.public",  # spot-check findings and fever referrals (supervision, control)
    "coldchain.public",  # cold-chain workers (testing's key group)
    "testing.fhir",  # lab results as FHIR Observations (interop)
    "vaccination.fhir",  # doses as FHIR Immunizations (interop)
    "checkpoints.signals",  # fever referrals made at a crossing (control listens)
    "clinics.signals",  # a fever patient registered at a facility (control listens)
    "coldchain.signals",  # workers added or removed (testing's cold-chain key group follows)
    "control.public",  # who is in centralized isolation now (testing's round targets)
    "reporting.signals",  # the 10:00/11:30 reminders went out in-app (notify texts the cadres too)
    "pushlists.public",  # push-item verification replayed from a phone (field work)
    "retention.registry",  # kinds of personal record and how to remove them, registered from `ready()`
}
# What each domain app reads of the others, all through PUBLIC_MODULES: an arrow added here is a decision.
DOMAIN_READS: dict[str, set[str]] = {
    "screening": {"reporting.sources"},
    "pushlists": {"screening.measures", "screening.public", "reporting.sources"},
    "duty": set(),
    "reporting": {"duty.public"},
    "briefing": {"reporting.summary"},
    "vaccination": {"reporting.sources"},
    "supplies": {"reporting.sources"},
    "supervision": {"reporting.sources", "reporting.actions.notifications"},
    "venues": set(),
    "publicity": {"reporting.sources"},
    "control": {
        "screening.signals",
        "screening.public",
        "pushlists.signals",
        "reporting.sources",
        "reporting.actions",
        "testing.signals",
        "checkpoints.signals",
        "clinics.signals",
        "duty.public",
    },
    "testing": {"reporting.sources", "reporting.actions.urgent", "notify.public", "supplies.public"},
    "notify": {"reporting.sources"},
    "checkpoints": {"duty.public", "screening.public", "reporting.sources", "supervision.public"},
    "clinics": {"reporting.sources"},
    "coldchain": set(),
    "interop": {"testing.fhir", "vaccination.fhir"},
    "fieldwork": {
        "reporting.sources",
        "supplies.public",
        "screening.public",
        "pushlists.public",
        "control.public",
    },
}
# Above everything: the project package (settings, URLs, the API root, the home page) and the demo district,
# which is made through every app's actions.
# Added after the table above (kept append-only for merges): testing's key group and round targets, notify's
# SMS copy of the daily report's reminders.
DOMAIN_READS["testing"] |= {"coldchain.public", "coldchain.signals", "control.public"}
DOMAIN_READS["notify"] |= {"reporting.signals"}
# Data lifecycle (issue 16): apps register their kinds of personal record; retention reads no app.
DOMAIN_READS["retention"] = set()
for _app in ("checkpoints", "screening", "pushlists", "control", "testing"):
    DOMAIN_READS[_app] |= {"retention.registry"}
# Field work's offline page (issue 17): crossings and samples recorded on a phone, through their apps' public
# modules, which also give the page its choices.
PUBLIC_MODULES |= {"testing.public"}
DOMAIN_READS["fieldwork"] |= {"checkpoints.public", "testing.public"}
TOP = {"(project)", "demo", "management"}


@dataclass(frozen=True)
class Edge:
    source: str  # dotted module under fangkong, e.g. "regions.views"
    target: str  # dotted module imported, e.g. "accounts.access"
    where: str  # file:line

    @property
    def source_app(self) -> str:
        return app_of(self.source)

    @property
    def target_app(self) -> str:
        return app_of(self.target)


def app_of(module: str) -> str:
    head = module.split(".")[0]
    return head if (PACKAGE / head).is_dir() else "(project)"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(target: str) -> str:
    """The longest prefix of `target` that is a module or package (`from x import name` names either)."""
    parts = target.split(".")
    while parts:
        base = PACKAGE.joinpath(*parts)
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return target


def edges() -> list[Edge]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).parts
        if "tests" in rel or "migrations" in rel:
            continue
        source = _module_name(path)
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(["fangkong", *base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                targets = [f"{module}.{a.name}" for a in node.names]
            for target in targets:
                if target.startswith("fangkong."):
                    found.append(
                        Edge(source, _resolve(target.removeprefix("fangkong.")), f"{path}:{node.lineno}")
                    )
    return found


def layer_of(module: str) -> int | None:
    """The foundation layer of `module` (the longest matching prefix wins), or None outside the foundation."""
    best, best_len = None, -1
    for index, (_name, prefixes) in enumerate(FOUNDATION_LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def problem(edge: Edge) -> str | None:
    """Why `edge` breaks the table, or None."""
    src_app, dst_app = edge.source_app, edge.target_app
    if src_app == dst_app and src_app not in FOUNDATION:
        return None
    if src_app in TOP:
        return None
    if dst_app in TOP:
        return f"{dst_app} sits above every app"
    if src_app in FOUNDATION:
        if dst_app not in FOUNDATION:
            return f"the foundation imports no domain app ({dst_app})"
        src, dst = layer_of(edge.source), layer_of(edge.target)
        assert src is not None and dst is not None, edge
        if dst > src or (dst == src and src_app != dst_app):
            return (
                f"{FOUNDATION_LAYERS[src][0]!r} may not import {FOUNDATION_LAYERS[dst][0]!r}"
                " (foundation layers import downward only)"
            )
        return None
    if dst_app in FOUNDATION:
        return None
    allowed = DOMAIN_READS.get(src_app)
    if allowed is None:
        return f"{src_app} is not in the dependency table"
    public = next((m for m in allowed if edge.target == m or edge.target.startswith(m + ".")), None)
    if public is None:
        return f"{src_app} reads {dst_app} only through {sorted(allowed) or 'nothing'}, not {edge.target}"
    return None


def test_every_import_follows_the_dependency_table() -> None:
    broken = [f"{e.where}: {e.source} → {e.target}: {why}" for e in edges() if (why := problem(e))]
    assert broken == []


def test_every_app_is_in_the_table() -> None:
    apps = {p.parent.name for p in PACKAGE.glob("*/apps.py")} | {"lib"}
    assert apps == FOUNDATION | set(DOMAIN_READS) | (TOP - {"(project)", "management"})


def test_domain_reads_name_only_public_modules() -> None:
    assert set().union(*DOMAIN_READS.values()) <= PUBLIC_MODULES


def test_the_import_walk_sees_imports_inside_functions() -> None:
    # pushlists.views imports screening.public inside a view; a walk of top-level imports only would miss it.
    assert any(e.source == "pushlists.views" and e.target == "screening.public" for e in edges())


@pytest.mark.parametrize(
    ("source", "target", "why"),
    [
        ("regions.models", "audit.models", "'the region tree' may not import 'the audit writer'"),
        (
            "audit.actions",
            "accounts.access",
            "'the audit writer' may not import 'accounts and the access layer'",
        ),
        ("accounts.access", "people.models", "'accounts and the access layer' may not import 'people'"),
        ("people.views", "regions.queries", "'people' may not import 'pages of regions and audit'"),
        ("regions.actions", "accounts.actions", "'changes to the tree' may not import 'accounts and"),
        ("people.actions", "screening.models", "the foundation imports no domain app (screening)"),
        ("duty.views", "screening.models", "duty reads screening only through nothing, not screening.models"),
        (
            "briefing.actions",
            "reporting.models",
            "briefing reads reporting only through ['reporting.summary']",
        ),
        ("screening.views", "demo.builder", "demo sits above every app"),
    ],
)
def test_an_upward_or_internal_import_is_refused(source: str, target: str, why: str) -> None:
    found = problem(Edge(source, target, "x.py:1"))
    assert found is not None and found.startswith(why)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("regions.views", "accounts.access"),
        ("regions.queries", "people.models"),
        ("audit.views", "accounts.access"),
        ("regions.actions", "audit.actions"),
        ("accounts.actions", "audit.actions"),
        ("people.access", "accounts.access"),
        ("pushlists.views", "screening.public"),
        ("reporting.actions.urgent", "duty.public"),
        ("demo.activity", "screening.actions"),
        ("control.receivers", "screening.signals"),
        ("control.actions", "reporting.actions"),
    ],
)
def test_the_arrows_of_the_table_are_allowed(source: str, target: str) -> None:
    assert problem(Edge(source, target, "x.py:1")) is None


# The prefix test of the materialized path is written in two places only: the access layer's `within` (records
# by their region) and the tree's own `RegionQuerySet.within` (regions below a unit). Everything else scopes
# through those, so a change of the jurisdiction rule is made once.
PATH_PREFIX_HOMES = {"accounts/access.py", "regions/models.py"}


def test_no_hand_written_jurisdiction_filter_outside_the_access_layer() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if "tests" in rel.parts or str(rel) in PATH_PREFIX_HOMES:
            continue
        found += [
            f"{rel}:{n}"
            for n, line in enumerate(path.read_text().splitlines(), 1)
            if "path__startswith" in line
        ]
    assert found == []
