#!/usr/bin/env python3
"""Turn cowbench results of the base, patched and reference kernels into a
markdown table and a PNG bar chart of the ratios.

  report.py --base B --patched P --ref R [--rerun NAME=FILE] --out DIR

Each input is a guest results log (or any file) holding cowbench's
"row <name> instr_per_unit=<n> copied=<k> of=<n> unit=<u>" lines.
--rerun NAME=FILE: a second run of kernel NAME (base, patched or ref); the
largest relative difference between the two runs is printed and recorded.
Writes DIR/results.md, DIR/ratios.dat, DIR/ratios.gp and DIR/ratios.png.
"""
import argparse
import os
import re
import subprocess
import sys

ROW = re.compile(r'^row (\S+) instr_per_unit=([0-9.]+) copied=(-?\d+) of=(\d+) unit=(\S+)')

DESC = {
    'fault_anon': 'first-touch anonymous fault',
    'cow_child': 'COW copy fault in the child',
    'fork': 'fork() of a populated process',
    'reuse_after_exit': 'write after the child exited (reuse)',
    'swapout_zram': 'MADV_PAGEOUT to zram',
    'swapin_read_zram': 'read fault, swap-in from zram',
    'swapin_write_zram': 'write after swap-in from zram',
    'swapout_disk': 'MADV_PAGEOUT to a disk (swap cache; async I/O, not exact)',
    'swapin_read_disk': 'read fault, swap-in via the swap cache',
    'swapin_write_disk': 'write after swap-in via the swap cache',
    'swapin_write_thp_zram': 'the same from zram, THP-backed region (swapped in as base pages)',
    'swapin_write_thp_disk': 'the same via the swap cache, THP-backed region',
    'thp_cow': 'THP COW (child writes every 4 KiB)',
    'hugetlb_cow': 'hugetlb COW (child writes each 2 MiB page)',
    'mprotect_ro_rw_write': 'mprotect R/O, R/W, then write',
    'numa_hint_read': 'read after a NUMA scan: hinting fault (one node, no migration)',
    'numa_hint_write': 'write after a NUMA scan: hinting fault, then the write',
    'numa_hint_thp': 'write after a NUMA scan, THP: PMD hinting fault (each 2 MiB page)',
    'pin_fast_ro': 'pin_user_pages_fast R/O + unpin (timed in the kernel)',
    'pin_fast_rw': 'pin_user_pages_fast R/W + unpin (timed in the kernel)',
    'pin_fast_ro_shared': 'the same, R/O, pages shared with a child (unshare cost)',
    'dio_read_4k': 'O_DIRECT 4 KiB read into an anonymous page (RAM disk), per request',
    'dio_write_4k': 'O_DIRECT 4 KiB write from an anonymous page (RAM disk), per request',
}
# Rows whose measured window includes asynchronous virtio-blk completions:
# when a completion interrupt lands (inside the window or after it) depends
# on the host, so these are not instruction-exact; the spread is shown apart.
ASYNC_ROWS = {'swapout_disk'}
# Goals of the series, reported (not asserted).
# patched/base at most this on the hot paths (the performance issue's goals).
RATIO_GOALS = {n: 1.01 for n in ['fault_anon', 'cow_child', 'thp_cow', 'hugetlb_cow',
                                 'swapin_read_zram', 'swapin_read_disk',
                                 'pin_fast_ro', 'pin_fast_rw',
                                 'dio_read_4k', 'dio_write_4k']}
RATIO_GOALS.update({'fork': 1.04, 'reuse_after_exit': 1.04})
ZERO_COPY_GOALS = ['reuse_after_exit', 'swapin_write_disk', 'swapin_write_zram',
                   'swapin_write_thp_zram', 'swapin_write_thp_disk',
                   'mprotect_ro_rw_write']
# At most this many instructions per page (patched): the write after a
# swap-in read takes no fault.
ABS_GOALS = {'swapin_write_zram': 10, 'swapin_write_disk': 10,
             'swapin_write_thp_zram': 10, 'swapin_write_thp_disk': 10}
# Patched at or below the reference (6.12) on every row but these.
REF_GOAL_EXEMPT = ASYNC_ROWS


def parse(path):
    rows = {}
    with open(path, errors='replace') as f:
        for line in f:
            m = ROW.match(line.strip())
            if m:
                name, v, k, n, unit = m.groups()
                rows[name] = (float(v), int(k), int(n), unit)
    return rows


def spread(a, b, rows):
    """Largest relative difference (%) between two runs over rows, and its row."""
    worst = (0.0, None)
    for name in rows:
        if name in a and name in b and a[name][0] > 0:
            d = abs(a[name][0] - b[name][0]) / ((a[name][0] + b[name][0]) / 2) * 100
            worst = max(worst, (d, name), key=lambda x: x[0])
    return worst


def fmt(v):
    return '—' if v is None else f'{v:,.0f}' if v >= 100 else f'{v:.1f}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--base', required=True)
    ap.add_argument('--patched', required=True)
    ap.add_argument('--ref', required=True)
    ap.add_argument('--ref-name', default='6.12')
    ap.add_argument('--rerun', action='append', default=[])
    ap.add_argument('--out', required=True)
    ap.add_argument('--title', default='')
    args = ap.parse_args()

    kern = {'base': parse(args.base), 'patched': parse(args.patched), 'ref': parse(args.ref)}
    for k, rows in kern.items():
        if not rows:
            print(f'warning: no cowbench rows in the {k} results', file=sys.stderr)
    names = [n for n in DESC if any(n in r for r in kern.values())]
    names += sorted({n for r in kern.values() for n in r} - set(names))
    os.makedirs(args.out, exist_ok=True)

    def get(k, n, i):
        r = kern[k].get(n)
        return None if r is None else r[i]

    out = []
    if args.title:
        out.append(args.title + '\n')
    out.append(f'| row | unit | base | patched | {args.ref_name} | patched/base | '
               f'copied base / patched / {args.ref_name} (of) |')
    out.append('|---|---|---:|---:|---:|---:|---|')
    ratios = []
    for n in names:
        unit = next(r[n][3] for r in kern.values() if n in r)
        b, p, r = (get(k, n, 0) for k in ('base', 'patched', 'ref'))
        ratio = p / b if b and p is not None else None
        rref = r / b if b and r is not None else None
        cop = ' / '.join('—' if get(k, n, 1) in (None, -1) else str(get(k, n, 1))
                         for k in ('base', 'patched', 'ref'))
        of = next(rr[n][2] for rr in kern.values() if n in rr)
        approx = '~' if n in ASYNC_ROWS else ''
        out.append(f'| {n}: {DESC.get(n, "")} | instr/{unit} | {fmt(b)} | {fmt(p)} | {fmt(r)} | '
                   f'{"—" if ratio is None else f"{approx}{ratio:.3f}"} | {cop} ({of}) |')
        ratios.append((n, ratio, rref))

    out.append('')
    out.append('Instructions per unit are guest CLOCK_MONOTONIC nanoseconds under '
               '`-icount shift=0,sleep=off` (one ns per guest instruction), median of 7 runs; '
               '"copied" counts the pages of the region whose frame changed in /proc/self/pagemap. '
               'The pin rows use the pin + unpin time measured inside the PIN_FAST_BENCHMARK ioctl '
               '(gup_test; gup_benchmark on the plain base), in whole µs over 16384 pages.')
    out.append('')
    goals = []
    for n, limit in RATIO_GOALS.items():
        r = next((x[1] for x in ratios if x[0] == n), None)
        if r is not None:
            goals.append(f'- patched/base ≤ {limit:.2f} on {n}: {r:.3f} — '
                         f'{"met" if r <= limit else "NOT met"}')
    for n in ZERO_COPY_GOALS:
        k = get('patched', n, 1)
        if k is not None:
            goals.append(f'- 0 copied pages on {n} (patched): {k} — {"met" if k == 0 else "NOT met"}')
    for n, limit in ABS_GOALS.items():
        p = get('patched', n, 0)
        if p is not None:
            goals.append(f'- at most {limit} instructions per page on {n} (patched): '
                         f'{fmt(p)} — {"met" if p <= limit else "NOT met"}')
    above = [n for n in names if n not in REF_GOAL_EXEMPT
             and get('patched', n, 0) is not None and get('ref', n, 0) is not None
             and get('patched', n, 0) > get('ref', n, 0)]
    if any(get('ref', n, 0) is not None for n in names):
        goals.append(f'- patched at or below {args.ref_name} on every row '
                     f'({", ".join(sorted(REF_GOAL_EXEMPT))} aside): '
                     + ('met' if not above else f'NOT met ({", ".join(above)})'))
    if goals:
        out.append('Goals (reported, not asserted):')
        out.append('')
        out.extend(goals)
        out.append('')
    spreads = []
    for spec in args.rerun:
        k, _, path = spec.partition('=')
        other = parse(path)
        d, row = spread(kern[k], other, set(kern[k]) - ASYNC_ROWS)
        line = f'spread between two runs of {args.ref_name if k == "ref" else k}: max {d:.2f} %' + (f' ({row})' if row else '')
        da = [f'{n} {spread(kern[k], other, [n])[0]:.2f} %' for n in sorted(ASYNC_ROWS) if n in kern[k]]
        if da:
            line += f'; rows timing asynchronous disk I/O, not counted: {", ".join(da)}'
        spreads.append(line)
        out.append(line)
        out.append('')
    md = '\n'.join(out)
    with open(os.path.join(args.out, 'results.md'), 'w') as f:
        f.write(md)
    # The short table README and the cover letter include: the same
    # figures, the rows by name only.
    short = [f'| row | instr. per | base | series | {args.ref_name} | series/base |',
             '|---|---|---:|---:|---:|---:|']
    for n in names:
        unit = next(r[n][3] for r in kern.values() if n in r)
        b, p, r = (get(k, n, 0) for k in ('base', 'patched', 'ref'))
        ratio = p / b if b and p is not None else None
        approx = '~' if n in ASYNC_ROWS else ''
        short.append(f'| {n} | {unit} | {fmt(b)} | {fmt(p)} | {fmt(r)} | '
                     f'{"—" if ratio is None else f"{approx}{ratio:.3f}"} |')
    short += ['', 'Guest instructions per unit under QEMU TCG -icount, median of 7 runs;',
              'the kernels, the method and the goals: bench/results.md.']
    with open(os.path.join(args.out, 'summary.md'), 'w') as f:
        f.write('\n'.join(short) + '\n')
    print(md)

    dat = os.path.join(args.out, 'ratios.dat')
    with open(dat, 'w') as f:
        for n, r, rr in ratios:
            f.write(f'{n} {"NaN" if r is None else f"{r:.4f}"} {"NaN" if rr is None else f"{rr:.4f}"} '
                    f'{"~" if n in ASYNC_ROWS else ""}{"NaN" if r is None else f"{r:.3f}"}\n')
    gp = os.path.join(args.out, 'ratios.gp')
    png = os.path.join(args.out, 'ratios.png')
    with open(gp, 'w') as f:
        f.write(f'''set terminal pngcairo size 1100,650 font "sans,10"
set output "{png}"
set title "Cost relative to the 5.10 base: guest instructions per unit, log scale, bars start at 1 (same as base); blue numbers: patched / base"
set style fill solid 0.8 border -1
set logscale y 2
set yrange [0.002:64]
set ytics ("1/256" 0.00390625, "1/64" 0.015625, "1/16" 0.0625, "1/4" 0.25, "1" 1, "4" 4, "16" 16)
set xrange [-0.6:{len(ratios) - 0.4}]
set xtics rotate by -40 left noenhanced
set rmargin 10
set bmargin 9
set ylabel "ratio to base"
set grid ytics
set key top left
set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb "black" dt 2
plot "{dat}" using 0:(NaN):xtic(1) notitle, \\
     "" using ($0-0.2):(1):($0-0.38):($0-0.02):(1):2 with boxxyerror title "patched / base" lc rgb "#3060c0", \\
     "" using ($0+0.2):(1):($0+0.02):($0+0.38):(1):3 with boxxyerror title "{args.ref_name} / base" lc rgb "#c06030", \\
     "" using ($0-0.2):(($2 > 1 ? $2 : 1) * 1.12):4 with labels left rotate by 90 font ",8" noenhanced tc rgb "#3060c0" notitle
''')
    try:
        subprocess.run(['gnuplot', gp], check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f'warning: gnuplot failed ({e}); no {png}', file=sys.stderr)
    print(f'\nwrote {os.path.join(args.out, "results.md")} and {png}')
    for line in spreads:
        print(line)


if __name__ == '__main__':
    main()
