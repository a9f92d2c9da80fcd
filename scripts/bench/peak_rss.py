#!/usr/bin/env python3
"""Runs a command and records the peak resident memory of its whole process tree, for the benchmarks in
scripts/bench (grad, io).

    python3 scripts/bench/peak_rss.py OUT_FILE COMMAND [ARGS...]

Every 50 ms, sums VmRSS over the command's process and all its descendants (from /proc). Writes to OUT_FILE, as
JSON: the largest sum seen in bytes, the wall seconds, and how busy the machine's CPUs were with other work while
the command ran (all CPU time in /proc/stat less the command tree's own, as a share of all CPUs' time), so that a
measurement disturbed by others can be told apart. Exits with the command's exit code; its output passes through.
"""
import json
import os
import subprocess
import sys
import time

INTERVAL = 0.05


def cpu_ticks():
    """(busy, total) clock ticks of all CPUs so far."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:9]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def tree_sample(root, cpu):
    """The tree's resident bytes now; records each live process's CPU ticks (utime + stime) into cpu."""
    children = {}
    rss = {}
    ticks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            after = stat[stat.rindex(")") + 2:].split()
            ppid = int(after[1])
            ticks[int(entry)] = int(after[11]) + int(after[12]) + int(after[13]) + int(after[14])
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
        if pid in ticks:
            cpu[pid] = ticks[pid]
        todo.extend(children.get(pid, []))
    return total


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: peak_rss.py OUT_FILE COMMAND [ARGS...]")
    start = time.perf_counter()
    busy0, total0 = cpu_ticks()
    child = subprocess.Popen(argv[2:])
    peak = 0
    own = {}
    while child.poll() is None:
        peak = max(peak, tree_sample(child.pid, own))
        time.sleep(INTERVAL)
    wall = time.perf_counter() - start
    busy1, total1 = cpu_ticks()
    others = max(0, (busy1 - busy0) - sum(own.values())) / max(1, total1 - total0)
    with open(argv[1], "w") as f:
        json.dump({"peakRssBytes": peak, "wallSeconds": wall, "othersBusy": others, "exit": child.returncode}, f)
    sys.exit(child.returncode)


if __name__ == "__main__":
    main(sys.argv)
