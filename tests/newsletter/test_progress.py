"""send_digest and import_subscribers report progress: a bar on a terminal, log lines otherwise."""

import io

from django.core.management.base import BaseCommand

from newsletter.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_one_bar_is_redrawn_with_count_rate_and_eta():
    out = Terminal()
    progress = Progress(3, label="Sending", stream=out)
    for _ in range(3):
        progress(1)
    progress.finish()
    text = out.getvalue()
    assert text.startswith("\rSending [") and text.endswith("\n")
    assert "3/3" in text and "/s ETA " in text
    assert text.count("\n") == 1  # redrawn in place, not one line per message


def test_elsewhere_plain_log_lines_every_so_often_and_at_the_end():
    out = io.StringIO()
    progress = Progress(2500, label="Importing", stream=out, every=1000)
    for _ in range(2500):
        progress(1)
    progress.finish()
    lines = out.getvalue().splitlines()
    assert [line.split("] ")[1].split(" ")[0] for line in lines] == ["1000/2500", "2000/2500", "2500/2500"]
    assert "\r" not in out.getvalue()


def test_through_a_commands_stderr_the_bar_stays_on_one_line_and_uncoloured():
    out = Terminal()
    stderr = BaseCommand(stderr=out, force_color=True).stderr  # what send_digest passes
    progress = Progress(3, label="Sending", stream=stderr)
    for _ in range(3):
        progress(1)
    progress.finish()
    text = out.getvalue()
    assert text.startswith("\rSending [") and text.endswith("\n") and "3/3" in text
    assert text.count("\n") == 1  # one bar redrawn, not a line per message
    assert "\x1b[" not in text  # not painted in the error colour
