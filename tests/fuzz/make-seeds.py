#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (tests/fuzz/corpus/TARGET/).

The fuzzer alone reached none of the bugs of issue 14: the seeds carry structure it would not
find by mutation (stacks deeper than 65 535 frames, weights whose sum overflows, profiles with no
nodes, many siblings, evented profiles) besides small valid files of every format.  Run it after
changing a format; the output is deterministic.  Usage: make-seeds.py [AGENT_SESSION.txt]
(a transcript of the agent's lines, e.g. the one in corpus/agent/session.txt, is kept as is).
"""
import base64, gzip, json, os, struct, sys

top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    os.makedirs(os.path.join(top, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(top, target, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data.encode() if isinstance(data, str) else data, 9, mtime=0)


def speedscope(profiles, frames):
    return json.dumps({"$schema": "https://www.speedscope.app/file-format-schema.json",
                       "shared": {"frames": [{"name": f} for f in frames]},
                       "profiles": profiles}, separators=(",", ":"))


def sampled(samples, weights, unit="none", name="p"):
    return {"type": "sampled", "name": name, "unit": unit, "startValue": 0,
            "endValue": sum(weights), "samples": samples, "weights": weights}


def packed(fmt, values):
    return base64.b64encode(b"".join(struct.pack("<" + fmt, v) for v in values)).decode()


def sbclprof(parents, frames, self_w, names, mode="cpu", bytes_w=None, functions=()):
    weights = {"samples": packed("d", self_w)}
    if bytes_w is not None:
        weights["bytes"] = packed("d", bytes_w)
    return json.dumps({
        "format": "sbcl-profiler", "version": 1,
        "meta": {"mode": mode, "interval": 0.01, "sbcl_version": "2.2.9", "duration": 1.5,
                 "gc_seconds": 0.1, "bytes_consed": 1000, "sample_count": int(sum(self_w)),
                 "truncated": False},
        "frames": [{"name": n, "package": n.split(":")[0] if ":" in n else None,
                    "kind": "function", "file": None, "line": None} for n in names],
        "tree": {"nodes": len(parents), "parents": packed("I", parents),
                 "frames": packed("I", frames), "self": weights},
        "functions": list(functions)}, separators=(",", ":"))


NO = 0xFFFFFFFF

folded = {
    "basic.folded": "main;DEMO:RUN;DEMO:FIB 12\nmain;DEMO:RUN;DEMO:FIB;DEMO:FIB 30\nmain;foo 1\n",
    "two-count.folded": "a;b;c 5 9\na;b 3 0\na;d 0 4\n",
    "kinds.folded": ("(LAMBDA (X) :IN DEMO:RUN);(FLET HELPER :IN DEMO:F) 2\n"
                     "(SB-PCL::FAST-METHOD PRINT-OBJECT (T T));\"foreign function malloc\" 3\n"
                     "[unknown];perf;[kernel.kallsyms] 1\n"),
    "weights.folded": "a;b 1.5\na;c 1e300\na;d 0\nx 18446744073709551616\n",
    "deep-2000.folded": ";".join(["f"] * 2000) + " 1\n",
    "siblings-500.folded": "".join(f"root;child{i} {i + 1}\n" for i in range(500)),
    "crlf-bom.folded": "\ufeffa;b 1\r\na;c 2\r\n",
}
for name, text in folded.items():
    put("folded", name, text)
    put("sniff", name, text)

ss = {
    "sampled.json": speedscope([sampled([[0, 1], [0, 2], [0]], [3, 4, 1])], ["a", "b", "c"]),
    "bytes.json": speedscope([sampled([[0, 1]], [4096], unit="bytes")], ["a", "b"]),
    "evented.json": speedscope([{"type": "evented", "name": "e", "unit": "milliseconds",
                                 "startValue": 0, "endValue": 10,
                                 "events": [{"type": "O", "frame": 0, "at": 0},
                                            {"type": "O", "frame": 1, "at": 2},
                                            {"type": "C", "frame": 1, "at": 7},
                                            {"type": "C", "frame": 0, "at": 10}]}], ["a", "b"]),
    "threads.json": speedscope([sampled([[0, 1]], [2], name="main"),
                                sampled([[1, 0]], [5], name="worker")], ["a", "b"]),
    "huge-weights.json": speedscope([sampled([[0], [0, 1]], [1e300, 1.7e308])], ["a", "b"]),
    "siblings-300.json": speedscope([sampled([[0, i] for i in range(1, 301)], [1] * 300)],
                                    ["root"] + [f"f{i}" for i in range(300)]),
}
for name, text in ss.items():
    put("speedscope", name, text)
    put("sniff", name, text)
deep = speedscope([sampled([[0] * 70000], [1])], ["f"])
put("gzip", "deep-70000.speedscope.json.gz", gz(deep))
put("sniff", "deep-70000.speedscope.json.gz", gz(deep))

sp = {
    "small.sbclprof": sbclprof([NO, 0, 1, 0], [0, 1, 2, 2], [0, 5, 2, 7],
                               ["DEMO:RUN", "DEMO:FIB", "DEMO:LOOP"]),
    "alloc.sbclprof": sbclprof([NO, 0], [0, 1], [1, 3], ["A", "B"], mode="alloc",
                               bytes_w=[4096, 65536]),
    "zero-nodes.sbclprof": sbclprof([], [], [], []),
    "duplicate-siblings.sbclprof": sbclprof([NO, 0, 0], [0, 1, 1], [0, 3, 4], ["a", "b"]),
    "huge-weights.sbclprof": sbclprof([NO, 0, 0], [0, 1, 2], [1e300, 1e299, 1.5], ["a", "b", "c"]),
    "siblings-400.sbclprof": sbclprof([NO] + [0] * 400, [0] + list(range(1, 401)),
                                      [0] + [1] * 400, ["r"] + [f"f{i}" for i in range(400)]),
    "deterministic.sbclprof": sbclprof([], [], [], ["DEMO:FIB"], mode="deterministic",
                                       functions=[{"frame": 0, "calls": 10, "seconds": 0.5,
                                                   "bytes_consed": 100, "gc_seconds": 0.0,
                                                   "runs": []}]),
}
for name, text in sp.items():
    put("sbclprof", name, text)
    put("sniff", name, text)
put("sbclprof", "small-gzip.sbclprof", gz(sp["small.sbclprof"]))
put("gzip", "small.sbclprof.gz", gz(sp["small.sbclprof"]))
put("gzip", "basic.folded.gz", gz(folded["basic.folded"]))
put("gzip", "plain.folded", folded["two-count.folded"])   # compressed by the target

if len(sys.argv) > 1:
    lines = open(sys.argv[1]).read().splitlines()
    put("agent", "session.txt", "\n".join(lines) + "\n")
    for i, line in enumerate(lines):
        put("agent", f"line-{i:02d}.json", line + "\n")
agent = [
    '{"event":"hello","protocol":2,"sbcl_version":"2.2.9","pid":1,"features":["threads","sb-sprof"]}',
    '{"event":"hello","protocol":2,"features":[1,null,{"a":2},"threads"]}',
    '{"event":"workload-error","message":"boom","error":{"kind":"lisp","message":"boom",'
    '"type":"SIMPLE-ERROR","backtrace":["(DEMO::F 1)",2,null]}}',
    '{"id":3,"ok":false,"error":{"kind":"interrupted","message":"interrupted"}}',
    '{"id":4,"ok":true,"result":{"frames":[{"name":"A"},{"name":"B","file":"/x.lisp","line":3}],'
    '"threads":["workload"],"stacks":"AFACAB","stack_count":1,"samples":5,"kept_samples":5,'
    '"duration":0.5,"gc_seconds":0,"bytes_consed":100,"truncated":false}}',
    '{"id":5,"ok":true,"result":{"frames":[],"threads":[],"stacks":"","stack_count":0,'
    '"samples":0,"kept_samples":0,"duration":0}}',
    '{"id":6,"ok":true,"result":{"frames":[{"name":"A"}],"threads":["w"],'
    '"stacks":"Af////////ABAA","stack_count":1,"samples":1,"duration":1e308}}',
]
put("agent", "hand-made.txt", "\n".join(agent) + "\n")
