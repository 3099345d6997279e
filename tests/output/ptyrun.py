#!/usr/bin/env python3
"""Run a command with stdout and stderr on a pseudo-terminal (stdin is /dev/null); write what
it printed to our stdout as raw bytes and exit with its status. usage: ptyrun.py CMD [ARGS...]"""
import os
import subprocess
import sys

master, slave = os.openpty()
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
os.close(slave)
out = bytearray()
while True:
    try:
        data = os.read(master, 65536)
    except OSError:  # EIO: the child side closed
        break
    if not data:
        break
    out.extend(data)
os.close(master)
sys.stdout.buffer.write(bytes(out))
sys.exit(proc.wait())
