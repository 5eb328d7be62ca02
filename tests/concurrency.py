"""Many attempts at the same moment, from threads, for tests of what must hold under load."""

import threading
from collections.abc import Callable


def in_threads_at_once(count: int, attempt: Callable[[int], object], *, after_each: Callable[[], None] | None = None,
                       timeout: float = 180) -> list:
    """Call ``attempt(n)`` for n in range(count), each in its own thread, all released by
    one barrier; return the results (in completion order). Any exception fails the test."""
    results, errors = [], []
    start = threading.Barrier(count)

    def run(n):
        start.wait()
        try:
            results.append(attempt(n))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            if after_each:
                after_each()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not errors, errors[:3]
    return results
