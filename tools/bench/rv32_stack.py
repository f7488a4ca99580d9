#!/usr/bin/env python3
"""Worst-case stack of the bootloader core on rv32 from gcc's call graph (-fcallgraph-info=su).

usage: rv32_stack.py [--to FUNCTION] ROOT_FUNCTION FILE.ci...

Each .ci file (VCG) lists functions with their frame size and the calls they make. The deepest
path from ROOT_FUNCTION is the sum of frames along it. Indirect calls are resolved by what the
core passes as function pointers: in ota_flash.c they are the flash port's operations (outside
the core: counted as 0 and named in the output), elsewhere they are the XZ window callbacks of
the installer (ota_install.c: sink, history). Functions without a frame in the graph (mbedTLS,
libc builtins) count as 0 and are listed. Prints "BYTES|path" on stdout. With --to, the path is
the deepest one from ROOT_FUNCTION that reaches FUNCTION (its frame the last one counted), e.g.
the stack under which the signature check calls mbedTLS; status 1 when FUNCTION is not reached.
"""
import re
import sys

NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"(?: label: "([^"]*)")?')
FRAME = re.compile(r'\\n(\d+) bytes \((static|dynamic[^)]*)\)')

args = sys.argv[1:]
target = None
if args[:1] == ["--to"]:
    target, args = args[1], args[2:]
frames, edges, files = {}, {}, {}
for path in args[1:]:
    with open(path) as f:
        for line in f:
            m = NODE.search(line)
            if m:
                fm = FRAME.search(m.group(2))
                if fm:
                    frames[m.group(1)] = int(fm.group(1))
                continue
            m = EDGE.search(line)
            if m:
                src, dst, where = m.group(1), m.group(2), m.group(3) or ""
                if dst == "__indirect_call":
                    dst = "@port" if "ota_flash.c" in where else "@xz_callback"
                edges.setdefault(src, set()).add(dst)


def resolve(name):
    """Static functions are titled FILE:NAME; calls to them use the same title."""
    return name


callbacks = [n for n in frames if n.endswith("ota_install.c:sink") or n.endswith("ota_install.c:history")]
edges["@xz_callback"] = set(callbacks)
frames.setdefault("@port", 0)
frames.setdefault("@xz_callback", 0)

memo, unknown, on_path = {}, set(), set()


def deepest(n):
    if n in memo:
        return memo[n]
    if n in on_path:
        raise SystemExit("recursion through " + n)
    on_path.add(n)
    own = frames.get(n)
    if own is None:
        unknown.add(n)
        own = 0
    best, best_path = 0, []
    for d in edges.get(n, ()):
        s, p = deepest(d)
        if s > best:
            best, best_path = s, p
    on_path.discard(n)
    memo[n] = (own + best, [n] + best_path)
    return memo[n]


memo_to = {}


def deepest_to(n, seen=()):
    """Deepest path from n that ends at the target, or None when the target is not below n."""
    if n in memo_to:
        return memo_to[n]
    if n in seen:
        raise SystemExit("recursion through " + n)
    own = frames.get(n, 0)
    best = (0, []) if n == target else None
    for d in edges.get(n, ()) if n != target else ():
        r = deepest_to(d, seen + (n,))
        if r and (best is None or r[0] > best[0]):
            best = r
    memo_to[n] = (own + best[0], [n] + best[1]) if best else None
    return memo_to[n]


if target:
    found = deepest_to(args[0])
    if not found:
        raise SystemExit("%s is not reached from %s" % (target, args[0]))
    total, path = found
else:
    total, path = deepest(args[0])
short = [p.split(":")[-1] + "(%d)" % frames.get(p, 0) for p in path]
print("%d|%s" % (total, " > ".join(short)))
ext = sorted(u for u in unknown if not u.startswith("__builtin") and u not in ("memcpy", "memset", "memmove", "memcmp", "@port"))
if ext:
    print("not counted (outside the core): " + ", ".join(ext), file=sys.stderr)
