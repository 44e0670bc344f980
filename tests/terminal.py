"""A clerk at a real terminal: theodoi run on a pseudo-terminal, answered line by line.

stdin and stderr are the pseudo-terminal (questions are asked on stderr),
stdout is a pipe, so that the result can be read apart from the questions.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO


class Terminal:
    def __init__(self, *args: str, env: dict[str, str], cwd: Path | None = None) -> None:
        leader, follower = pty.openpty()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("THEODOI_")}
        full_env.update({"THEODOI_CACHE_DIR": os.environ["THEODOI_CACHE_DIR"], **env})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "theodoi", *args], stdin=follower, stdout=subprocess.PIPE,
            stderr=follower, env=full_env, cwd=cwd or REPO, start_new_session=True)
        os.close(follower)
        self.leader = leader
        self.seen = ""  # everything the terminal showed so far
        self._offset = 0

    def expect(self, text: str, timeout: float = 30) -> str:
        """Wait until ``text`` appears after what was already matched; return what came."""
        deadline = time.monotonic() + timeout
        while text not in self.seen[self._offset:]:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"waited for {text!r}; the terminal shows:\n{self.seen}"
            ready, _, _ = select.select([self.leader], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.leader, 4096)
                except OSError:  # the process closed the terminal
                    chunk = b""
                assert chunk, f"theodoi ended before {text!r}:\n{self.seen}"
                self.seen += chunk.decode("utf-8", errors="replace").replace("\r\n", "\n")
        end = self.seen.index(text, self._offset) + len(text)
        came, self._offset = self.seen[self._offset:end], end
        return came

    def answer(self, line: str) -> None:
        os.write(self.leader, line.encode("utf-8") + b"\n")

    def interrupt(self) -> None:
        """Ctrl-C, as the terminal sends it: SIGINT to the foreground process."""
        self.process.send_signal(signal.SIGINT)

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        """The exit code and standard output; the rest of the terminal in ``seen``."""
        out, _ = self.process.communicate(timeout=timeout)
        while True:
            ready, _, _ = select.select([self.leader], [], [], 0.2)
            if not ready:
                break
            try:
                chunk = os.read(self.leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk.decode("utf-8", errors="replace").replace("\r\n", "\n")
        os.close(self.leader)
        return self.process.returncode, out.decode("utf-8")
