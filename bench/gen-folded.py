#!/usr/bin/env python3
"""gen-folded.py: seeded benchmark profiles in folded-stacks form ("a;b;c COUNT" lines).

The stacks look like a Lisp program's as SBCL's sb-sprof reports them, so that the readers,
the model and the views do the work a real profile makes them do:

  * frame names are SBCL's shapes: PKG::NAME, PKG:NAME, (LAMBDA (X) :IN PKG::F),
    (FLET G :IN PKG::F), (SB-PCL::FAST-METHOD PKG::GF (CLASS T)), "foreign function NAME";
  * every function has a few callees, picked near it in the name pool more often than not
    (modules); a stack is a walk from a thread's root frames that prefers the first callees,
    so stacks share long prefixes as call trees do;
  * walks sometimes recurse (a function calling itself, or two calling each other);
  * each line is a distinct stack; counts follow a Zipf law.

--diff-out writes a second, "after" profile over mostly the same stacks (counts scaled by a
log-normal factor, a few stacks replaced), for `diff` and differential flame graphs.

The output depends only on the options: the same --seed gives the same bytes, so figures
measured on it can be compared between runs and machines.

  bench/gen-folded.py --target-bytes 10m --seed 1 -o p10m.folded
  bench/gen-folded.py --stacks 20000 --diff-out after.folded -o before.folded
"""
import argparse
import math
import random
import sys

APP = ["SHOP", "SHOP.DB", "SHOP.WEB", "SHOP.JSON", "SHOP.CACHE", "SHOP.JOBS"]
LIBS = ["ALEXANDRIA", "CL-PPCRE", "BABEL", "FLEXI-STREAMS", "USOCKET", "IRONCLAD", "LOCAL-TIME"]
SBCL = ["SB-IMPL", "SB-KERNEL", "SB-PCL", "SB-C", "SB-VM", "SB-INT", "SB-THREAD", "SB-UNIX"]
VERBS = ("READ WRITE PARSE EMIT FIND MAKE COPY HASH SORT MERGE SCAN MATCH LOAD STORE SEND "
         "FETCH APPLY WALK BUILD CHECK FLUSH FILL ENCODE DECODE SPLIT JOIN").split()
NOUNS = ("ROW TABLE STRING VECTOR BUFFER NODE TREE TOKEN QUERY REQUEST HEADER BODY CHUNK ENTRY "
         "KEY SLOT CLASS STREAM OCTETS ORDER ITEM PRICE CART USER SESSION").split()
FOREIGN = ["memcpy", "memset", "read", "write", "pthread_mutex_lock", "epoll_wait",
           "collect_garbage", "scavenge_root_gens"]
ROOTS = [
    ['"foreign function call_into_lisp"', "SB-THREAD::NEW-LISP-THREAD-TRAMPOLINE",
     "SB-THREAD::RUN"],
    ['"foreign function call_into_lisp"', "SB-IMPL::%TOPLEVEL", "SB-IMPL::PROCESS-SCRIPT",
     "SB-INT:SIMPLE-EVAL-IN-LEXENV"],
    ['"foreign function call_into_lisp"', "SB-THREAD::NEW-LISP-THREAD-TRAMPOLINE",
     "SHOP.JOBS::WORKER-LOOP"],
]


def size(text):
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    text = text.strip().lower()
    return int(float(text[:-1]) * units[text[-1]]) if text[-1:] in units else int(text)


def function_names(rng, n):
    def symbol(packages):
        words = [rng.choice(VERBS)] + [rng.choice(NOUNS) for _ in range(rng.randint(0, 2))]
        return "%s%s%s" % (rng.choice(packages), rng.choice(("::", "::", ":")), "-".join(words))

    names, seen = [], set()
    while len(names) < n:
        packages = rng.choices((APP, LIBS, SBCL), weights=(5, 2, 3))[0]
        shape = rng.random()
        if shape < 0.55:
            name = symbol(packages)
        elif shape < 0.70:
            name = "(LAMBDA (%s) :IN %s)" % (rng.choice(("X", "X Y", "ROW", "&REST ARGS")),
                                            symbol(packages))
        elif shape < 0.80:
            name = "(%s %s :IN %s)" % (rng.choice(("FLET", "LABELS")), symbol(packages),
                                       symbol(packages))
        elif shape < 0.92:
            name = "(SB-PCL::FAST-METHOD %s (%s T))" % (symbol(packages),
                                                        rng.choice(("T", "STRING", symbol(APP))))
        else:
            name = "(SB-C::TL-XEP %s)" % symbol(packages)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


class Walker:
    """Random walks through a fixed call graph."""

    def __init__(self, rng, names, fanout):
        self.rng = rng
        self.names = names
        n = len(names)
        self.callees = []
        for i in range(n):
            near = [(i + rng.randint(1, 40)) % n for _ in range(rng.randint(1, fanout))]
            far = [rng.randrange(n) for _ in range(rng.randint(0, 2))]
            self.callees.append(near + far)

    def stack(self, depth, recursion):
        rng = self.rng
        frames = list(rng.choice(ROOTS))
        current = rng.randrange(len(self.names))
        while len(frames) < depth:
            frames.append(self.names[current])
            if rng.random() < recursion:
                partner = rng.choice(self.callees[current])
                for k in range(rng.randint(2, 10)):
                    if len(frames) >= depth:
                        break
                    frames.append(self.names[partner if k % 2 and rng.random() < 0.5 else current])
            # the first callees are the usual ones: a geometric preference
            options = self.callees[current]
            current = options[min(int(rng.expovariate(1.2)), len(options) - 1)]
        if rng.random() < 0.1:
            frames.append('"foreign function %s"' % rng.choice(FOREIGN))
        return ";".join(frames)


def generate(args, rng):
    walker = Walker(rng, function_names(rng, args.functions), args.fanout)
    stacks, seen, written = [], set(), 0
    target = size(args.target_bytes) if args.target_bytes else None
    while (written < target) if target else (len(stacks) < args.stacks):
        depth = int(rng.triangular(args.min_depth, args.max_depth, args.depth_mode))
        stack = walker.stack(depth, args.recursion)
        if stack in seen:
            continue
        seen.add(stack)
        stacks.append(stack)
        written += len(stack) + 8
    return walker, stacks, seen


def zipf_counts(rng, n, total, exponent):
    weights = [1.0 / (rank ** exponent) for rank in range(1, n + 1)]
    rng.shuffle(weights)
    scale = total / sum(weights)
    return [max(1, int(w * scale)) for w in weights]


def write(path, stacks, counts):
    out = sys.stdout if path == "-" else open(path, "w", encoding="utf-8", newline="\n")
    for stack, count in zip(stacks, counts):
        out.write("%s %d\n" % (stack, count))
    if out is not sys.stdout:
        out.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--out", default="-", help="the folded file ('-': standard output)")
    ap.add_argument("--stacks", type=int, default=50000, help="distinct stacks (50000)")
    ap.add_argument("--target-bytes", help="instead of --stacks: about this many bytes (10m, 100m)")
    ap.add_argument("--samples", type=int, default=1000000, help="about this many samples in all")
    ap.add_argument("--min-depth", type=int, default=5)
    ap.add_argument("--max-depth", type=int, default=60)
    ap.add_argument("--depth-mode", type=int, default=22, help="the most likely depth")
    ap.add_argument("--functions", type=int, default=6000, help="distinct function names")
    ap.add_argument("--fanout", type=int, default=8, help="most callees of a function")
    ap.add_argument("--recursion", type=float, default=0.04, help="chance per frame of recursing")
    ap.add_argument("--zipf", type=float, default=1.05, help="exponent of the counts' Zipf law")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--diff-out", help="also write an 'after' profile of mostly the same stacks")
    ap.add_argument("--diff-sigma", type=float, default=0.35, help="spread of the count changes")
    ap.add_argument("--diff-drop", type=float, default=0.05, help="share of stacks replaced")
    args = ap.parse_args()
    if not 1 <= args.min_depth <= args.depth_mode <= args.max_depth:
        ap.error("need 1 <= --min-depth <= --depth-mode <= --max-depth")

    rng = random.Random(args.seed)
    walker, stacks, seen = generate(args, rng)
    counts = zipf_counts(rng, len(stacks), args.samples, args.zipf)
    write(args.out, stacks, counts)
    if args.diff_out:
        after, after_counts = [], []
        for stack, count in zip(stacks, counts):
            if rng.random() < args.diff_drop:
                continue
            after.append(stack)
            after_counts.append(max(1, int(count * math.exp(rng.gauss(0, args.diff_sigma)))))
        while len(after) < len(stacks):
            depth = int(rng.triangular(args.min_depth, args.max_depth, args.depth_mode))
            stack = walker.stack(depth, args.recursion)
            if stack not in seen:
                seen.add(stack)
                after.append(stack)
                after_counts.append(max(1, int(rng.paretovariate(1.5))))
        write(args.diff_out, after, after_counts)


if __name__ == "__main__":
    main()
