#!/usr/bin/env python3
"""Run a command on a fresh pseudo-terminal and answer its prompts.

Usage: pty_drive.py STEPS_JSON -- COMMAND [ARGS...]

STEPS_JSON is a list of [expected_text, reply] pairs: wait until the
command's terminal output contains expected_text (after the previous match),
then type reply ("\\r" is Enter, "\\u0003" is Ctrl-C). The whole terminal
transcript is printed on stdout and the command's exit status is returned
(128+N when it died of signal N). A prompt that never comes fails with
status 99 and the transcript so far, so tests report what was on screen.
Only the standard library is used: the command gets a real controlling
terminal, so it can open /dev/tty as it would for a person.
"""

import json
import os
import pty
import select
import sys
import time

TIMEOUT = float(os.environ.get("PTY_DRIVE_TIMEOUT", "20"))


def main() -> int:
    steps = json.loads(sys.argv[1])
    if sys.argv[2] != "--":
        raise SystemExit("usage: pty_drive.py STEPS_JSON -- COMMAND [ARGS...]")
    command = sys.argv[3:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)

    transcript = b""
    searched_up_to = 0
    eof = False

    def pump(deadline: float) -> None:
        nonlocal transcript, eof
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            chunk = b""
        if chunk:
            transcript += chunk
        else:
            eof = True

    for expected, reply in steps:
        needle = expected.encode()
        deadline = time.monotonic() + TIMEOUT
        while True:
            at = transcript.find(needle, searched_up_to)
            if at >= 0:
                searched_up_to = at + len(needle)
                break
            if eof or time.monotonic() >= deadline:
                sys.stdout.write(transcript.decode(errors="replace"))
                sys.stdout.write(f"\n[pty_drive: never saw {expected!r}]\n")
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)
                return 99
            pump(deadline)
        # A short pause so the reply lands after the program set up its
        # terminal modes for the read, as a person's typing would.
        time.sleep(0.05)
        os.write(fd, reply.encode())

    deadline = time.monotonic() + TIMEOUT
    while not eof and time.monotonic() < deadline:
        pump(deadline)
    if not eof:
        sys.stdout.write(transcript.decode(errors="replace"))
        sys.stdout.write("\n[pty_drive: the command did not finish]\n")
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        return 98
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(transcript.decode(errors="replace"))
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
