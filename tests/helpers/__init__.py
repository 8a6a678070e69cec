"""Shared fixtures, fakes and factories for the test suite."""
