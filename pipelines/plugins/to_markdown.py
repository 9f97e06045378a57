#!/usr/bin/env python3
"""An outside writer (write: exec): the accepted records as a Markdown table, for pasting into a
report. Writes to the temporary path it is given; Taizhang moves it into place after `done`.
Protocol: docs/EXEC-PLUGINS.md."""
import json
import sys

hello = json.loads(sys.stdin.readline())
columns = [c for c in hello["options"].get("columns", hello["columns"])]
with open(hello["path"], "w", encoding="utf-8") as out:
    out.write("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n")
    for line in sys.stdin:
        m = json.loads(line)
        if m["type"] == "record":
            out.write("| " + " | ".join(m["values"].get(c, "").replace("|", "\\|") for c in columns) + " |\n")
        elif m["type"] == "end":
            out.write("\n共 %d 条（读取 %d 行）\n" % (m["summary"]["accepted"], m["summary"]["read"]))
            break
sys.stdout.write(json.dumps({"type": "done"}) + "\n")
