#!/usr/bin/env python3
"""bench-scale.py: the 1 GB profile beside the 100 MB one.

Usage: bench-scale.py BUILDDIR DATADIR

Runs each step as its own process, so that its peak memory (from wait4) is the step's alone,
on p100m.folded and p1g.folded (and their -after twins for diff), and prints each figure of
the 1 GB profile beside its target and its ratio to the 100 MB one: the cost should grow about
as the file does.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

builddir, data = sys.argv[1], sys.argv[2]
app = os.path.join(builddir, "app", "sbcl-profiler")
bench = os.path.join(builddir, "bench")
sizes = [("100 MB", os.path.join(data, "p100m")), ("1 GB", os.path.join(data, "p1g"))]


class Failed(Exception):
    pass


def run(argv, env=None):
    """Wall seconds, CPU seconds, peak RSS in MB and the output of one process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace")
        if proc.returncode != 0:
            raise Failed("%s failed (%d): %s" % (os.path.basename(argv[0]), proc.returncode,
                                                 err.read().decode(errors="replace").strip()))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def read_through(*paths):
    """Reads files once, so that the steps time the program and not the disk: this machine's
    page cache was seen emptied between runs, and a cold 1 GB read took longer than its parse."""
    for path in paths:
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass


def steps(base):
    folded = base + ".folded"
    read_through(folded, base + "-after.folded")
    svg = os.path.join(tempfile.gettempdir(), "bench-scale-%d.svg" % os.getpid())
    load = run([os.path.join(bench, "bench-load"), folded])
    seconds, nodes, frames = load[3].split()
    yield "file → model", float(seconds), load[2], load[1], 2.5, "%s nodes, %s frames" % (nodes, frames)
    saved = os.path.join(tempfile.gettempdir(), "bench-scale-%d.sbclprof" % os.getpid())
    run([app, "export", "--to", "sbclprof", "-o", saved, folded])
    try:
        load = run([os.path.join(bench, "bench-load"), saved])
        yield ".sbclprof → model", float(load[3].split()[0]), load[2], load[1], 2.5, ""
    except Failed as e:
        yield ".sbclprof → model", float("nan"), 0, 0, 2.5, str(e)
    finally:
        os.unlink(saved)
    export = run([app, "export", "--to", "svg", "-o", svg, folded])
    os.unlink(svg)
    yield "export --to svg", export[0], export[2], export[1], 6, ""
    diff = run([app, "diff", folded, base + "-after.folded", "--top", "3"])
    yield "diff of two files", diff[0], diff[2], diff[1], 5, ""


def view_figures(base, env):
    """Derived views and flame graph figures that bench-core and bench-flame print in ms."""
    figures = {}
    svg = os.path.join(tempfile.gettempdir(), "bench-scale-%d.svg" % os.getpid())
    display = [] if os.environ.get("DISPLAY") else ["xvfb-run", "-a"]
    for argv in ([os.path.join(bench, "bench-core"), base + ".folded"],
                 display + [os.path.join(bench, "bench-flame"), base + ".folded", svg]):
        text = run(argv, env)[3]
        for line in text.splitlines():
            m = re.match(r"^([^:]+): (?:median )?([\d.]+) (ms|s)\b", line)
            if m:
                figures[m.group(1)] = float(m.group(2)) * (1000 if m.group(3) == "s" else 1)
    if os.path.exists(svg):
        os.unlink(svg)
    return figures


def main():
    try:
        report()
    except Failed as e:
        sys.exit("bench-scale: %s" % e)


def report():
    print("load average %s" % " ".join("%.1f" % x for x in os.getloadavg()))
    results = [list(steps(base)) for _, base in sizes]
    sizes_mb = [os.path.getsize(base + ".folded") / 1e6 for _, base in sizes]
    print("files: %.0f MB and %.0f MB (%.1f×)" % (sizes_mb[0], sizes_mb[1], sizes_mb[1] / sizes_mb[0]))
    print("%-18s %27s %27s %13s  %s" % ("", "100 MB: wall, CPU, peak", "1 GB: wall, CPU, peak",
                                          "ratio wall/CPU", "targets (1 GB)"))
    for small, big in zip(*results):
        name, seconds, rss, cpu, target, note = big
        print("%-18s %7.2f s %6.2f s %5.0f MB %7.2f s %6.2f s %5.0f MB %6.1f× %5.1f×  <= %g s, <= 1000 MB %s"
              % (name, small[1], small[3], small[2], seconds, cpu, rss, seconds / small[1],
                 cpu / small[3], target, ("(" + note + ")") if note else ""))
    print("(on a shared machine the wall time waits for the cores: the CPU time is the cost, and\n"
          " a quiet 2-core machine takes at least half of it)")

    env = dict(os.environ, SP_BENCH_NO_FLAMEGRAPH_PL="1", GTK_A11Y="none", NO_AT_BRIDGE="1",
               GSETTINGS_BACKEND="memory")
    views = [view_figures(base, env) for _, base in sizes]
    gui = dict(env, GSK_RENDERER="cairo", GSETTINGS_SCHEMA_DIR=os.path.join(builddir, "data"),
               DBUS_SESSION_BUS_ADDRESS="disabled:")
    display = [] if os.environ.get("DISPLAY") else ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24"]
    for label, base in sizes:
        text = run(display + [os.path.join(bench, "bench-open"), base + ".folded"], gui)[3]
        print("\n%s, in the window (GSK_RENDERER=cairo):\n%s" % (label, text.rstrip()))

    print("\nDerived views and the flame graph (ms; targets on the 1 GB profile: views <= 1000 ms, "
          "redraw <= 8 ms)")
    for name, small in views[0].items():
        big = views[1].get(name)
        if big is not None:
            print("%-52s %9.1f %9.1f %6.1f×" % (name, small, big, big / small if small else 0))


main()
