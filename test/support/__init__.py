"""Helpers shared by the test suites: servers that run on 127.0.0.1 for the tests' sake."""
