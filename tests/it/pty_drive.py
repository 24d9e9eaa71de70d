"""Drive a program on a pseudo-terminal: wait for each expected text, then type the reply.

Usage: pty_drive.py SCRIPT_JSON PROGRAM [ARGS...]
SCRIPT_JSON is a list of [expected_text, keys_to_send]. PTY_COLUMNS sets the terminal's
width (unset: 0 rows by 0 columns, as a new pseudo-terminal has). The program's terminal output
is copied to stdout; the exit status is the program's. A step that never sees its text
within the deadline (a hang guard, not a timing assertion) exits 3 naming the step.
"""
import fcntl
import json
import os
import pty
import select
import struct
import sys
import termios
import time

DEADLINE_SECONDS = 60


def main():
    steps = json.loads(sys.argv[1])
    argv = sys.argv[2:]
    columns = os.environ.get("PTY_COLUMNS")
    pid, fd = pty.fork()
    if pid == 0:
        if columns:
            size = struct.pack("HHHH", 50, int(columns), 0, 0)
            fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, size)
        os.execvp(argv[0], argv)
    seen = b""
    pos = 0

    def pump(timeout):
        nonlocal seen
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return False
        if not chunk:
            return False
        seen += chunk
        return True

    for expected, keys in steps:
        needle = expected.encode()
        start = time.monotonic()
        while True:
            found = seen.find(needle, pos)
            if found >= 0:
                pos = found + len(needle)
                break
            if time.monotonic() - start > DEADLINE_SECONDS or not pump(0.5):
                sys.stdout.write(seen.decode("utf-8", "replace"))
                sys.stderr.write("pty_drive: never saw %r\n" % expected)
                os.kill(pid, 9)
                sys.exit(3)
        # Let the prompt finish drawing before typing.
        time.sleep(0.05)
        os.write(fd, keys.encode())
    start = time.monotonic()
    while pump(0.5) and time.monotonic() - start < DEADLINE_SECONDS:
        pass
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode("utf-8", "replace"))
    sys.exit(os.waitstatus_to_exitcode(status))


main()
