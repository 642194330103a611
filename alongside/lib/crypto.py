"""Encrypted model fields (placeholder interface; the full implementation replaces this).

Models with encrypted fields carry `row_key = models.UUIDField(default=uuid.uuid4, unique=True,
editable=False)`; each value is bound to table, column and that row key.
"""

from __future__ import annotations

from django.db import models


class EncryptedTextField(models.TextField):
    pass


class EncryptedCharField(models.TextField):
    pass
