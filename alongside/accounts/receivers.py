"""Reactions to account events sent by django-allauth."""

from __future__ import annotations
