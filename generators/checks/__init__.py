"""Executable checks written by `protocol build`: the subject-record schema."""
