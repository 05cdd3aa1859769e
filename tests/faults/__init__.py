"""Fault-injection tests: databases that are empty, raced, unreachable, read-only or locked."""
