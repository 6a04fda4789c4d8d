"""The CI backup check fails when a restored database differs from the original."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "compare_row_counts.py"


def _load():
    spec = importlib.util.spec_from_file_location("compare_row_counts", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_same_counts_pass(monkeypatch, capsys):
    module = _load()
    monkeypatch.setattr(module, "row_counts", lambda url: {"public.a": 3, "public.b": 0})
    assert module.main(["x", "one", "two"]) == 0
    assert "совпадает" in capsys.readouterr().out


def test_a_difference_fails(monkeypatch, capsys):
    module = _load()
    counts = {"one": {"public.a": 3, "public.b": 1}, "two": {"public.a": 2}}
    monkeypatch.setattr(module, "row_counts", lambda url: counts[url])
    assert module.main(["x", "one", "two"]) == 1
    out = capsys.readouterr().out
    assert "public.a: 3 → 2" in out
    assert "public.b: 1 → нет таблицы" in out
