#!/usr/bin/env python3
"""Takeover times of a takeover-series.sh run, from $DTX_DATA_DIR/takeover.tsv and the coordinators' logs.
Takeover: from the kill to the first 'leader is now X' (X not the victim) on a survivor. In doubt resolved: from
that to the new leader's last 'phase 2 complete' of a transaction it recovered ('recovery: finishing it')."""
import os, re, glob, datetime, statistics
def ts(s): return datetime.datetime.strptime(s[:23], "%Y-%m-%dT%H:%M:%S.%f")
kills = [l.rstrip("\n").split("\t") for l in open(os.path.join(os.environ["DTX_DATA_DIR"], "takeover.tsv")) if l.strip()]
lines = []
for f in glob.glob(os.path.join(os.environ["DTX_DATA_DIR"], "logs", "coordinator-*.log")):
    node = f.rsplit("/", 1)[1][:-4]
    for l in open(f, errors="replace"):
        m = re.match(r"(\d{4}-\d\d-\d\dT[\d:.]+)Z", l)
        if m: lines.append((ts(m.group(1)), node, l))
lines.sort(key=lambda x: x[0])
takes, resolves = [], []
for i, (n, victim, t) in enumerate(kills):
    t0 = ts(t); t1 = ts(kills[i + 1][2]) if i + 1 < len(kills) else datetime.datetime.max
    new = next(((when, node, re.search(r"leader is now (\S+)", l).group(1)) for when, node, l in lines
                if t0 < when < t1 and node != victim and "leader is now" in l
                and re.search(r"leader is now (\S+)", l).group(1) != victim), None)
    if not new:
        print(n, victim, "no new leader seen"); continue
    take = (new[0] - t0).total_seconds(); takes.append(take)
    leader = new[2]
    rec = [(w, l) for w, node, l in lines if node == leader and t0 < w < t1 and "recovery: finishing it" in l]
    xids = {re.search(r"\[(tx-[^\]]+)\]", l).group(1) for w, l in rec if re.search(r"\[(tx-[^\]]+)\]", l)}
    done = [w for w, node, l in lines if node == leader and t0 < w < t1 and "phase 2 complete" in l
            and any(x in l for x in xids)]
    res = (max(done) - new[0]).total_seconds() if xids and done else None
    if res is not None: resolves.append(res)
    print(f"{n:>3} {victim:14s} -> {leader:14s} takeover {take:6.3f} s  in doubt {len(xids)}"
          + (f", resolved {res:.3f} s after" if res is not None else ""))
if takes:
    s = sorted(takes)
    p99 = s[min(len(s) - 1, int(round(0.99 * (len(s) - 1))))]
    print(f"takeover over {len(s)} kills: median {statistics.median(s):.3f} s, p99 {p99:.3f} s, max {s[-1]:.3f} s")
if resolves:
    print(f"in-doubt resolved after takeover: median {statistics.median(resolves):.3f} s, max {max(resolves):.3f} s")
