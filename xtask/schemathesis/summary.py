"""Prints the figures of a Schemathesis HAR report as `key=value` lines for the xtask:
requests sent, and how many got a 5xx status."""

import json
import sys

with open(sys.argv[1], encoding="utf-8") as report:
    entries = json.load(report)["log"]["entries"]
statuses = [entry["response"]["status"] for entry in entries]
print(f"requests={len(statuses)}")
print(f"server_errors={sum(1 for status in statuses if status >= 500)}")
