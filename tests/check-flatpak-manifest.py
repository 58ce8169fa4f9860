#!/usr/bin/env python3
"""The Flatpak manifest names this app, its binary, a bundled SBCL, and builds the tree with meson."""
import json
import sys

manifest_path, app_id = sys.argv[1], sys.argv[2]
with open(manifest_path) as f:
    manifest = json.load(f)

problems = []
if manifest.get("id") != app_id:
    problems.append(f"id is {manifest.get('id')!r}, expected {app_id!r}")
if manifest.get("command") != "sbcl-profiler":
    problems.append(f"command is {manifest.get('command')!r}, expected 'sbcl-profiler'")
modules = {m.get("name"): m for m in manifest.get("modules", [])}
if "sbcl" not in modules:
    problems.append("no module bundles SBCL")
app = modules.get("sbcl-profiler", {})
if app.get("buildsystem") != "meson":
    problems.append("the app module is not built with meson")
if not any(s.get("type") == "dir" and s.get("path") == ".." for s in app.get("sources", [])):
    problems.append("the app module does not build this source tree")
if "--env=SBCL_HOME=/app/lib/sbcl" not in manifest.get("finish-args", []):
    problems.append("SBCL_HOME does not point at the bundled SBCL's contribs")

for p in problems:
    print(f"{manifest_path}: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
