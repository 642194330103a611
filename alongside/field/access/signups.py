"""Lookups of the signups part of field work: 404 alike for what does not exist and what the person may not see."""

from __future__ import annotations
