#!/usr/bin/env python3
"""Runs a command and records the peak resident memory of its whole process tree, for scripts/bench.

    python3 scripts/peak_rss.py OUT_FILE COMMAND [ARGS...]

Every 50 ms, sums VmRSS over the command's process and all its descendants (from /proc); writes the largest sum
seen, in bytes, and the wall seconds to OUT_FILE as JSON; exits with the command's exit code. Output of the
command passes through.
"""
import json
import os
import subprocess
import sys
import time

INTERVAL = 0.05


def tree_rss(root):
    children = {}
    rss = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            with open(f"/proc/{entry}/status") as f:
                kb = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError, StopIteration):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = kb * 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: peak_rss.py OUT_FILE COMMAND [ARGS...]")
    start = time.perf_counter()
    child = subprocess.Popen(argv[2:])
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss(child.pid))
        time.sleep(INTERVAL)
    wall = time.perf_counter() - start
    with open(argv[1], "w") as f:
        json.dump({"peakRssBytes": peak, "wallSeconds": wall, "exit": child.returncode}, f)
    sys.exit(child.returncode)


if __name__ == "__main__":
    main(sys.argv)
