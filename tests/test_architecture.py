"""The import contracts of pyproject.toml ([tool.importlinter]) hold: apps import only downwards,
and monitoring reaches the project registry only through projects.registry."""

import copy
from pathlib import Path

import pytest
from importlinter import configuration
from importlinter.application import use_cases

configuration.configure()

ROOT = Path(__file__).resolve().parent.parent
CONFIG = str(ROOT / "pyproject.toml")


@pytest.fixture(scope="module")
def options():
    user_options = use_cases.read_user_options(CONFIG)
    use_cases._register_contract_types(user_options)
    return user_options


@pytest.fixture(scope="module")
def graph(options):
    return use_cases._build_graph(
        root_package_names=options.session_options["root_packages"],
        include_external_packages=False,
        exclude_type_checking_imports=use_cases._get_exclude_type_checking_imports(options),
        verbose=False,
        cache_dir=None,
    )


def _broken(graph, options) -> list[str]:
    report = use_cases._build_report(
        graph=graph,
        graph_building_duration=0,
        user_options=options,
        limit_to_contracts=(),
        show_timings=False,
        verbose=False,
    )
    assert not report.invalid_contract_options, report.invalid_contract_options
    return [contract.name for contract, check in report.get_contracts_and_checks() if not check.kept]


def test_import_contracts_are_kept(graph, options):
    assert _broken(graph, options) == []


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("accounts.models", "monitoring.selectors", "Apps import only downwards"),
        ("projects.services", "monitoring.models", "Apps import only downwards"),
        ("core.transitions", "schools.models", "Apps import only downwards"),
        ("monitoring.services", "projects.models", "monitoring reaches the project registry"),
    ],
)
def test_a_wrong_import_breaks_a_contract(graph, options, importer, imported, contract):
    wrong = copy.deepcopy(graph)
    wrong.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    broken = _broken(wrong, options)
    assert any(name.startswith(contract) for name in broken), broken
