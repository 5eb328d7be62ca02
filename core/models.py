from django.db import models


class RateLimitCounter(models.Model):
    """One fixed window of one rate limit, counted by a single atomic SQL statement.

    Used when there is no Redis: every process on every server that shares the
    database counts in the same row (``core.ratelimit``).
    """

    key = models.CharField(max_length=255, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return f"{self.key}: {self.count}"
