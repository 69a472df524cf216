#!/usr/bin/env python3
"""Scales a simulator output's 居保 drops N times (bench/collect).

Every data row of jubao/*.csv is written N times, the copies' source keys
(first column: 个人编号 / 流水号, and 个人编号 in jfmx/dyff) suffixed with
"-<k>", so each copy is a distinct source record of the same persons.
Usage: scale.py SRC_DIR OUT_DIR N
"""
import os
import sys

src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(os.path.join(out, "jubao"), exist_ok=True)
for name in sorted(os.listdir(os.path.join(src, "jubao"))):
    with open(os.path.join(src, "jubao", name), "rb") as f:
        text = f.read().decode("gb18030")
    lines = text.split("\r\n")
    head, rows = lines[0], [l for l in lines[1:] if l]
    res = [head]
    for k in range(n):
        for r in rows:
            cols = r.split(",", 2)
            if len(cols) < 3:
                res.append(r)
                continue
            if name.startswith("cbry"):
                res.append(cols[0] + "-%d," % k + cols[1] + "," + cols[2])
            else:
                res.append(cols[0] + "-%d," % k + cols[1] + "-%d," % k + cols[2])
    with open(os.path.join(out, "jubao", name), "wb") as f:
        f.write(("\r\n".join(res) + "\r\n").encode("gb18030"))
