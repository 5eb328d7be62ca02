"""Progress for long commands: a bar with rate and ETA on a terminal, log lines otherwise."""

import sys
import time

from django.core.management.base import OutputWrapper


class Progress:
    """``stream`` is a file, or a command's ``self.stderr`` (so call_command's stderr= works)."""

    def __init__(self, total: int, *, label: str, stream=None, every: int = 1000):
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every
        self.started = time.monotonic()
        self._last_draw = 0.0

    def __call__(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.tty:
            if now - self._last_draw >= 0.1 or self.done >= self.total:
                self._last_draw = now
                self._write("\r" + self.line(now))
        elif self.done % self.every == 0 or self.done == self.total:
            self._write(self.line(now) + "\n")

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):
            # Plain: no line break added to every write, no error colour on the bar.
            self.stream.write(text, style_func=lambda plain: plain, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        remaining = (self.total - self.done) / rate if rate else 0
        share = self.done / self.total if self.total else 1
        bar = "#" * int(share * 30)
        return (f"{self.label} [{bar:<30}] {self.done}/{self.total} "
                f"{rate:,.0f}/s ETA {int(remaining // 60)}:{int(remaining % 60):02d}")

    def finish(self) -> None:
        if self.tty:
            self._write("\n")
