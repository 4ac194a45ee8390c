"""Killing a child process with SIGKILL at a moment of the test's choosing: the crash tests' one way of doing it.

The child runs in a fresh interpreter ('spawn': nothing of the parent's state, as a second command would start) and
sets ``ready`` once it is where the test wants to kill it (inside its transaction, past its first run, …).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

SPAWN = multiprocessing.get_context("spawn")


@contextmanager
def killed_when_done(target, *args, timeout: float = 60) -> Iterator[multiprocessing.Process]:
    """Start ``target(*args, ready)`` in a fresh process and wait for its ``ready``; the body may let it run on a
    while (``child.join(seconds)``); on leaving, SIGKILL it and wait for it to be gone."""
    ready = SPAWN.Event()
    child = SPAWN.Process(target=target, args=(*args, ready))
    child.start()
    try:
        assert ready.wait(timeout=timeout), f"child never got ready (exit code {child.exitcode})"
        yield child
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)


def kill_a_moment_later(target, args: tuple, seconds: float, *, timeout: float = 60, seed: int | None = None) -> None:
    """Start ``target(*args, ready)``, let it run ``seconds`` past its ``ready``, then SIGKILL it; it must not have
    stopped by itself (a kill after the end proves nothing). ``seed``, the random moments' seed, is named if not."""
    with killed_when_done(target, *args, timeout=timeout) as child:
        child.join(timeout=seconds)
        assert child.is_alive(), f"child stopped by itself (exit code {child.exitcode}, seed {seed})"
