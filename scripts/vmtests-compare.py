#!/usr/bin/env python3
"""Compare two report.py --json results, base and series:

    vmtests-compare.py <base.json> <series.json>

Prints every case of either side with its status on both, then the cases
that pass on the base and do not pass with the series (regressions): exit
status 1 if there is one.  The series renames 5.10's gup_benchmark to
gup_test, so step names are compared with that rename applied, and with
every number as N (compaction_test names its case by how many huge pages
it got).
"""
import json
import re
import sys


NAMES = {}


def load(path):
    try:
        cases = json.load(open(path))['cases']
    except (OSError, ValueError, KeyError) as e:
        sys.exit('%s: no results (%s)' % (path, e))
    out = {}
    for suite, case, status, _detail in cases:
        case = case.replace('gup_benchmark', 'gup_test')
        key = (suite, re.sub(r'\d+', 'N', case))
        NAMES.setdefault(key, '%s: %s' % (suite, case))
        # A case seen twice (a step run twice) keeps its worst status.
        if out.get(key) != 'fail':
            out[key] = status
    return out


def main():
    base, series = (load(p) for p in sys.argv[1:3])
    keys = sorted(set(base) | set(series))
    width = max(len(NAMES[k]) for k in keys)
    print('%-*s %-7s %-7s' % (width, 'case', 'base', 'series'))
    regressions = []
    for k in keys:
        b, s = base.get(k, '-'), series.get(k, '-')
        name = NAMES[k]
        print('%-*s %-7s %-7s' % (width, name, b, s))
        if b == 'pass' and s != 'pass':
            regressions.append(name)
    print()
    only_series = sum(1 for k in keys if k not in base)
    fixed = [NAMES[k] for k in keys if base.get(k) == 'fail' and series.get(k) == 'pass']
    print('%d cases on the base, %d with the series (%d only with the series)'
          % (len(base), len(series), only_series))
    for name in fixed:
        print('fixed by the series: %s' % name)
    for name in regressions:
        print('REGRESSION: %s' % name)
    print('%d regressions' % len(regressions))
    return 1 if regressions else 0


if __name__ == '__main__':
    sys.exit(main())
