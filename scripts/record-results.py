#!/usr/bin/env python3
"""Write the results table that README and the cover letter include.

    record-results.py <out.md> [--times <times.md>] <logs-dir>...

Each <logs-dir> is a make run's log directory (build/logs-test,
build/logs-debug, build/logs-arm64-test, build/logs-stable-test for
make run SERIES_CUT=stable, checked against the stamp of the series up
to the stable cut): its results.json (make report)
gives the column, its series file (scripts/guest-run.sh) the series the kernel
carried.  Fails unless every run carried the series now in patches/
(the stamp is lib.sh's series_stamp), so the table always describes the
patches it is committed with.  A cell is passed/failed/skipped; the
skips are the ones expected-results lists for that architecture.

--times writes a second table, of how long each run took: its times
file (scripts/guest-run.sh) gives the kernel build (and whether it was
from scratch, incremental or the kernel already built) and the boot with
the guest's tests; a run from before guest-run.sh wrote it shows "—".
"""
import json
import os
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, dirs = sys.argv[1], sys.argv[2:]
    times_out = None
    if dirs[:1] == ['--times']:
        if len(dirs) < 3:
            sys.exit(__doc__)
        times_out, dirs = dirs[1], dirs[2:]
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    lib = os.path.join(top, 'scripts', 'lib.sh')
    def series(what, cut=''):
        env = dict(os.environ, SERIES_CUT=cut)
        return subprocess.run(['bash', '-c', '. "$1"; ' + what, 'x', lib], env=env,
                              check=True, capture_output=True, text=True).stdout.strip()
    stamp = series('series_stamp')
    npatch = series('series_patches | wc -l')
    # A run of the series up to the stable cut (make run SERIES_CUT=stable)
    # is a column of its own, checked against the cut's stamp.
    cut_stamp = series('series_stamp', 'stable')
    cut = series('echo $STABLE_CUT')
    # The architectures of configs/arches; a logs directory names its own
    # (build/logs-<arch>-<config>), x86_64's none.
    with open(os.path.join(top, 'configs', 'arches')) as f:
        arches = {l.split()[0] for l in f if l.strip() and not l.startswith('#')}
    cols = []
    for d in dirs:
        name = os.path.basename(os.path.normpath(d))
        label = name[len('logs-'):] if name.startswith('logs-') else name
        words = label.split('-')
        config = words[-1]
        arch = next((w for w in words if w in arches), 'x86_64')
        want = cut_stamp if 'stable' in words else stamp
        label = '%s %s' % (arch, config)
        if 'hash' in words:
            label += ', hash MMU'
        if 'stable' in words:
            label += ', 1-%s' % cut
        try:
            with open(os.path.join(d, 'series')) as f:
                ran = f.read().strip()
            with open(os.path.join(d, 'results.json')) as f:
                res = json.load(f)
        except OSError as e:
            sys.exit('error: %s: %s (run make run for it first)' % (d, e))
        if ran != want:
            sys.exit('error: %s ran series %s, patches/ is %s: run it again'
                     % (d, ran, want))
        cols.append((label, res, read_times(d)))

    def cell(r):
        return '%d/%d/%d' % (r['pass'], r['fail'] + r.get('known', 0), r['skip'])

    suites = sorted({s for _, res, _ in cols for s in res['suites']})
    lines = ['| suite | %s |' % ' | '.join(c[0] for c in cols),
             '|---|%s' % ('---:|' * len(cols))]
    for s in suites:
        lines.append('| %s | %s |' % (s, ' | '.join(
            cell(res['suites'][s]) if s in res['suites'] else '—' for _, res, _ in cols)))
    lines.append('| **all** | %s |' % ' | '.join(cell(res['totals']) for _, res, _ in cols))
    lines.append('')
    # Short: the cover letter includes this table (350 lines at most).
    lines.append('Passed/failed/skipped under QEMU TCG, skips as expected-results lists;')
    lines.append('series %s (%s patches), written by make record.' % (stamp, npatch))
    if any(c[0].endswith(', 1-' + cut) for c in cols):
        lines.append('"1-%s": the stable cut, series %s.' % (cut, cut_stamp))
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))
    if times_out:
        write_times(times_out, cols, stamp, npatch)


def read_times(d):
    """A run's times file as {'kernel': (seconds, kind), 'boot': (seconds,)},
    or {} for a run from before guest-run.sh wrote it."""
    try:
        with open(os.path.join(d, 'times')) as f:
            return {w[0]: (int(w[1]),) + tuple(w[2:]) for w in map(str.split, f) if w}
    except OSError:
        return {}


def write_times(out, cols, stamp, npatch):
    def mins(t, what):
        if what not in t:
            return '—'
        s = t[what][0]
        cell = '%dm%02ds' % (s // 60, s % 60)
        return cell + (', ' + t[what][1] if len(t[what]) > 1 else '')
    lines = ['| step | %s |' % ' | '.join(c[0] for c in cols),
             '|---|%s' % ('---:|' * len(cols)),
             '| kernel build | %s |' % ' | '.join(mins(t, 'kernel') for _, _, t in cols),
             '| boot and tests | %s |' % ' | '.join(mins(t, 'boot') for _, _, t in cols),
             '',
             'Wall-clock time of the two steps of make run (QEMU TCG, two cores) in',
             'the runs of docs/measured/results.md, series %s (%s patches),' % (stamp, npatch),
             'written by make record.  A kernel build is from scratch (ccache may',
             'still hold its objects), incremental (the output directory held a',
             'kernel) or reused; "—": the run predates this record.']
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
