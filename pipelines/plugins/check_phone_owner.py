#!/usr/bin/env python3
"""An office's own check, as an outside plugin (step: exec), in plain Python with no packages.

Taizhang sends one JSON object per line: hello, then records, a flush after each batch, and end.
This program answers each flush with `flushed` (after any issue or set messages) and end with
`done`. Here: a phone number that appears for two different people is worth a look, and
「（退休）」 written after a work unit is moved into 备注 — a `set`, recorded as a change.
Protocol: docs/EXEC-PLUGINS.md.
"""
import json
import sys

seen = {}


def say(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


for line in sys.stdin:
    m = json.loads(line)
    kind = m.get("type")
    if kind == "hello":
        print("check_phone_owner: protocol %s, %d columns" % (m["protocol"], len(m["columns"])), file=sys.stderr)
    elif kind == "record":
        v = m["values"]
        phone, name = v.get("联系电话"), v.get("姓名")
        if phone and name:
            other = seen.setdefault(phone, name)
            if other != name:
                say({"type": "issue", "id": m["id"], "field": "联系电话", "code": "phone-shared", "severity": "warning",
                     "message": "与「%s」的联系电话相同，请核实" % other, "message_en": "same phone number as another person"})
        work = v.get("工作单位及职务", "")
        if work.endswith("（退休）"):
            say({"type": "set", "id": m["id"], "field": "工作单位及职务", "value": work[:-4], "rule": "退休标注移入备注"})
            say({"type": "set", "id": m["id"], "field": "备注", "value": (v.get("备注", "") + " 已退休").strip(), "rule": "退休标注移入备注"})
    elif kind == "flush":
        say({"type": "flushed"})
    elif kind == "end":
        say({"type": "done"})
        break
