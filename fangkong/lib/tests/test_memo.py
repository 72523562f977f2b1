"""`lib.memo`: a value is computed once inside a scope, every time outside one, and nothing outlives the scope."""

from __future__ import annotations

from fangkong.lib import memo


def test_a_value_is_computed_once_per_scope_and_never_kept_outside():
    calls: list[str] = []

    def count(key: str) -> int:
        calls.append(key)
        return len(calls)

    assert memo.get("a", lambda: count("a")) == 1
    assert memo.get("a", lambda: count("a")) == 2  # outside a scope: computed again
    with memo.scope():
        assert memo.get("a", lambda: count("a")) == 3
        assert memo.get("b", lambda: count("b")) == 4
        with memo.scope():  # a nested scope shares the outer one
            assert memo.get("a", lambda: count("a")) == 3
        assert memo.get("a", lambda: count("a")) == 3
    with memo.scope():  # a new page starts afresh
        assert memo.get("a", lambda: count("a")) == 5
    assert calls == ["a", "a", "a", "b", "a"]


def test_a_failing_page_leaves_no_scope_behind():
    try:
        with memo.scope():
            memo.get("x", lambda: 1)
            raise RuntimeError("the page failed")
    except RuntimeError:
        pass
    assert memo.get("x", lambda: 2) == 2
