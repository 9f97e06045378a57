#!/usr/bin/env python3
"""An outside reader (read: exec): a fixed-width text export of an old ledger system, which no
built-in reader knows, handed to Taizhang as header and rows. Columns and widths come from the
pipeline's `options:`. Protocol: docs/EXEC-PLUGINS.md."""
import json
import sys

hello = json.loads(sys.stdin.readline())
widths = [int(w) for w in hello["options"].get("widths", [])]
names = hello["options"].get("columns", [])
encoding = hello["options"].get("encoding", "gb18030")


def say(m):
    sys.stdout.write(json.dumps(m, ensure_ascii=False) + "\n")
    sys.stdout.flush()


say({"type": "header", "columns": names})
with open(hello["path"], encoding=encoding) as f:
    for n, line in enumerate(f, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            say({"type": "skip", "row": n, "reason": "空行"})
            continue
        cells, pos = [], 0
        for w in widths:
            cells.append(line[pos:pos + w].strip())
            pos += w
        say({"type": "row", "row": n, "cells": cells})
say({"type": "done"})
