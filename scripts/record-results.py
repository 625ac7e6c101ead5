#!/usr/bin/env python3
"""Write the results table that README and the cover letter include.

    record-results.py <out.md> <logs-dir>...

Each <logs-dir> is a make run's log directory (build/logs-test,
build/logs-debug, build/logs-arm64-test): its results.json (make report)
gives the column, its series file (scripts/guest-run.sh) the series the kernel
carried.  Fails unless every run carried the series now in patches/
(the stamp is lib.sh's series_stamp), so the table always describes the
patches it is committed with.  A cell is passed/failed/skipped; the
skips are the ones expected-results lists for that architecture.
"""
import json
import os
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, dirs = sys.argv[1], sys.argv[2:]
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    lib = os.path.join(top, 'scripts', 'lib.sh')
    stamp = subprocess.run(['bash', '-c', '. "$1"; series_stamp', 'x', lib],
                           check=True, capture_output=True, text=True).stdout.strip()
    npatch = subprocess.run(['bash', '-c', '. "$1"; series_patches | wc -l', 'x', lib],
                            check=True, capture_output=True, text=True).stdout.strip()
    cols = []
    for d in dirs:
        name = os.path.basename(os.path.normpath(d))
        label = name[len('logs-'):] if name.startswith('logs-') else name
        arch, _, config = label.rpartition('-')
        label = '%s %s' % (arch or 'x86_64', config)
        try:
            with open(os.path.join(d, 'series')) as f:
                ran = f.read().strip()
            with open(os.path.join(d, 'results.json')) as f:
                res = json.load(f)
        except OSError as e:
            sys.exit('error: %s: %s (run make run for it first)' % (d, e))
        if ran != stamp:
            sys.exit('error: %s ran series %s, patches/ is %s: run it again'
                     % (d, ran, stamp))
        cols.append((label, res))

    def cell(r):
        return '%d/%d/%d' % (r['pass'], r['fail'] + r.get('known', 0), r['skip'])

    suites = sorted({s for _, res in cols for s in res['suites']})
    lines = ['| suite | %s |' % ' | '.join(c[0] for c in cols),
             '|---|%s' % ('---:|' * len(cols))]
    for s in suites:
        lines.append('| %s | %s |' % (s, ' | '.join(
            cell(res['suites'][s]) if s in res['suites'] else '—' for _, res in cols)))
    lines.append('| **all** | %s |' % ' | '.join(cell(res['totals']) for _, res in cols))
    lines.append('')
    lines.append('Cases passed/failed/skipped per suite under QEMU TCG; the skips are')
    lines.append('those expected-results lists.  Series %s (%s patches),' % (stamp, npatch))
    lines.append('written by scripts/record-results.py (make record).')
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
