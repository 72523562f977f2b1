"""Fixtures of other apps' tests that the field-work tests reuse: testing's collector, point, round and people."""

from fangkong.testing.tests.conftest import collector, people, point, rnd  # noqa: F401 - fixtures
