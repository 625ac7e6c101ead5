#!/usr/bin/env python3
"""KCSAN reports of two runs, base and series, side by side:

    kcsan-report.py <base-console.log> <series-console.log> <series.diff> \
        [<base-vmlinux> <series-vmlinux>]

A report is named by its title ("data-race in A / B") and keyed by it;
its frames are the function names of both stacks.  A kernel without
KALLSYMS (the kcsan config has none) prints bare addresses: given the
vmlinux files, they are resolved with nm, and the title is rebuilt from
the first frame of each stack outside KCSAN's own runtime (which such a
kernel cannot skip: its title names kcsan_report()).  The series' functions
are those series.diff (git diff base..series) adds or changes: the
function of each hunk header and each function a "+" line defines.  A report
is the series' when one of its racing accesses is in such a function:
the functions its title names (KCSAN names the function that made each
access, with inlined helpers folded into their caller).  Deeper frames
of series code are shown too, for information: a race inside the rwsem
code is not the series' because a series function took the fault that
led there.  Prints every report of either side and exits 1 if a report
of the series run is the series' (such a race is to be fixed, or
annotated with a comment saying why it is benign).
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ksyms import Symbols  # noqa: E402

TS_RE = re.compile(r'^\[\s*\d+\.\d+\]\s?')
FRAME_RE = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_.]*)\+0x[0-9a-f]+/0x[0-9a-f]+')
ADDR_RE = re.compile(r'^\s*(0xffffffff[0-9a-f]{8})\s*$')
# KCSAN's runtime: frames a kernel without KALLSYMS leaves in the stack.
RUNTIME_RE = re.compile(r'^(kcsan_|__kcsan_|__tsan_|print_report|check_access|'
                        r'watchpoint|set_report_info)')


def reports(path, syms):
    """Yield (title, frames, text) for each KCSAN report in a console log."""
    cur = None
    stacks = []

    def done():
        title, frames, text = cur
        if title.startswith('data-race in 0x') and stacks:
            firsts = [next((f for f in st if not RUNTIME_RE.match(f)), '?')
                      for st in stacks if st]
            title = 'data-race in ' + ' / '.join(firsts)
        return (title, frames, text)

    for raw in open(path, errors='replace'):
        line = TS_RE.sub('', raw.rstrip('\r\n'))
        m = re.match(r'^BUG: KCSAN: (.*)$', line)
        if m:
            if cur:
                yield done()
            cur = (m.group(1).strip(), [], [line])
            stacks = []
            continue
        if cur is None:
            continue
        if line.startswith('=====') or line.startswith('Reported by Kernel'):
            yield done()
            cur = None
            continue
        if re.match(r'^(race at|read|write)', line):
            stacks.append([])
        m = FRAME_RE.match(line)
        a = ADDR_RE.match(line)
        name = m.group(1) if m else syms.name(int(a.group(1), 16)) if a else None
        cur[2].append(line + ('  ' + name if a and name else ''))
        if name:
            name = name.split('.')[0]
            cur[1].append(name)
            if stacks:
                stacks[-1].append(name)
    if cur:
        yield done()


def series_functions(diff_path):
    funcs = set()
    defn = re.compile(r'^\+(?:static\s+)?(?:inline\s+)?(?:[\w\s\*]+?)\b(\w+)\(')
    for line in open(diff_path, errors='replace'):
        if line.startswith('@@'):
            m = re.search(r'@@[^@]*@@.*?\b(\w+)\s*\(', line)
            if m:
                funcs.add(m.group(1))
        elif line.startswith('+') and not line.startswith('+++'):
            m = defn.match(line)
            if m and not line.rstrip().endswith(';'):
                funcs.add(m.group(1))
    return funcs


def accessors(title):
    """The functions a title says made the racing accesses."""
    m = re.match(r'^data-race in (.*)$', title)
    return [f.split('+')[0].split('.')[0].strip() for f in m.group(1).split(' / ')] if m else []


def collect(path, syms):
    seen = {}
    for title, frames, text in reports(path, syms):
        if title in seen:
            seen[title][2] += 1
        else:
            seen[title] = [frames, text, 1]
    return seen


def main():
    vml = sys.argv[4:6] if len(sys.argv) >= 6 else [None, None]
    base = collect(sys.argv[1], Symbols(vml[0]))
    series = collect(sys.argv[2], Symbols(vml[1]))
    funcs = series_functions(sys.argv[3])
    bad = []
    print('%-7s %-7s %-7s %s' % ('base', 'series', 'series\'', 'KCSAN report'))
    print('%-7s %-7s %-7s %s' % ('count', 'count', 'race?', '[deeper frames in series code]'))
    for title in sorted(set(base) | set(series)):
        frames = (series.get(title) or base.get(title))[0]
        named = sorted(set(f for f in accessors(title) if f in funcs))
        deeper = sorted(set(f for f in frames if f in funcs) - set(named))
        nb = base[title][2] if title in base else 0
        ns = series[title][2] if title in series else 0
        print('%-7d %-7d %-7s %s%s' % (nb, ns, 'yes' if named else 'no', title,
                                       '  [' + ', '.join(deeper) + ']' if deeper else ''))
        if ns and named:
            bad.append(title)
    print()
    print('%d distinct reports on the base, %d with the series; %d of the series\' '
          'races are in code the series adds or changes' % (len(base), len(series), len(bad)))
    for title in bad:
        print('\nSERIES CODE: %s' % title)
        for line in series[title][1][:40]:
            print('  | ' + line)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
