#!/usr/bin/env python3
"""KCSAN reports of two runs, base and series, side by side:

    kcsan-report.py <base-console.log> <series-console.log> <series.diff>

A report is named by its title ("data-race in A / B") and keyed by it;
its frames are the function names of both stacks.  The series' functions
are those series.diff (git diff base..series) adds or changes: the
function of each hunk header and each function a "+" line defines.  Prints
every report of either side, whether it names series code, and the lines
of the first occurrence; exits 1 if a report of the series run names a
function the series adds or changes (such a race is to be fixed, or
annotated with a comment saying why it is benign).
"""
import re
import sys

TS_RE = re.compile(r'^\[\s*\d+\.\d+\]\s?')
FRAME_RE = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_.]*)\+0x[0-9a-f]+/0x[0-9a-f]+')


def reports(path):
    """Yield (title, frames, text) for each KCSAN report in a console log."""
    cur = None
    for raw in open(path, errors='replace'):
        line = TS_RE.sub('', raw.rstrip('\r\n'))
        m = re.match(r'^BUG: KCSAN: (.*)$', line)
        if m:
            if cur:
                yield cur
            cur = (m.group(1).strip(), [], [line])
            continue
        if cur is None:
            continue
        if line.startswith('=====') or line.startswith('Reported by Kernel'):
            yield cur
            cur = None
            continue
        cur[2].append(line)
        m = FRAME_RE.match(line)
        if m:
            cur[1].append(m.group(1).split('.')[0])
    if cur:
        yield cur


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


def collect(path):
    seen = {}
    for title, frames, text in reports(path):
        if title in seen:
            seen[title][2] += 1
        else:
            seen[title] = [frames, text, 1]
    return seen


def main():
    base = collect(sys.argv[1])
    series = collect(sys.argv[2])
    funcs = series_functions(sys.argv[3])
    bad = []
    print('%-7s %-7s %-6s %s' % ('base', 'series', 'series', 'KCSAN report'))
    print('%-7s %-7s %-6s' % ('count', 'count', 'code?'))
    for title in sorted(set(base) | set(series)):
        frames = (series.get(title) or base.get(title))[0]
        named = sorted(set(f for f in frames if f in funcs))
        nb = base[title][2] if title in base else 0
        ns = series[title][2] if title in series else 0
        print('%-7d %-7d %-6s %s%s' % (nb, ns, 'yes' if named else 'no', title,
                                      '  [' + ', '.join(named) + ']' if named else ''))
        if ns and named:
            bad.append(title)
    print()
    print('%d distinct reports on the base, %d with the series; %d with the series '
          'name code the series adds or changes' % (len(base), len(series), len(bad)))
    for title in bad:
        print('\nSERIES CODE: %s' % title)
        for line in series[title][1][:40]:
            print('  | ' + line)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
