#!/usr/bin/env python3
"""Turn a guest run's logs into results.

    report.py <results.log> <console.log> <known-failures> [--json out.json]
              [--no-kunit] [--expected <expected-results> --arch <arch>
              [--part full|stable]]

results.log holds the kselftests' output between "### begin NAME" and
"### end NAME exit=RC" markers; a test printing KTAP contributes one case
per "ok"/"not ok" line, any other test one case that passes on exit 0.
console.log holds the kernel console with KUnit's KTAP (--no-kunit: a
kernel without the KUnit cases, e.g. make vm's Debian kernel).

Output of the kselftest runner (run_kselftest.sh) counts twice: the
runner's own "ok N selftests: ..." lines, and what it prefixed with "# ":
each run_vmtests step ("running X" ... "[PASS]") as a case of suite
run_vmtests, and the KTAP a step prints (cow, gup_stress) as cases of
suite vm:<program>.

A case listed in the known-failures file ("suite | case | reason") that
fails counts as expected; one that passes, or is not run, fails the run,
so that the list shrinks as fixes land.  Prints a table per suite and
ends with "N passed, N failed, N skipped".  Exit status 1 on any failure.

With --expected, the run must match the expected-results file for --arch:
every listed suite ran, with exactly the listed number of cases, and no
suite ran that is not listed; a case may skip only if it is listed as a
skip with the same reason, and a listed skip that does not skip fails
too (the list only shrinks).  Without it (make vm, vmtests, kcsan) skips
are only reported.  --part says which part of the series the kernel
carries: "full" (the default) or "stable" (lib.sh's STABLE_CUT, the
series without the optimizations).  An <arch> column may name a part,
<arch>:stable or <arch>:full: such a line counts only for that part, and
a suite line with a part overrides the plain one.  A KUnit suite whose plan ("1..N") does not match the
cases it reported fails either way.
"""
import json
import re
import sys

# "ok N desc # directive": SKIP and TODO as KTAP says; any other directive
# (the kselftest runner's "# exit=1", "# TIMEOUT 45 seconds") is detail.
OK_RE = re.compile(r'^(not ok|ok) (\d+)(?: -)? ?(.*?)(?:\s+#\s*(SKIP|TODO)?\b\s*(.*))?$')
# The parts of the series a run may carry (--part).
PARTS = ('full', 'stable')
TS_RE = re.compile(r'^\[\s*\d+\.\d+\]\s?')


def plan_check(suite, plan, count):
    """A failing case when a KTAP plan ("1..N") and the cases disagree."""
    if suite and plan is not None and plan != count:
        yield (suite, '(plan)', 'fail',
               'plan says %d cases, %d reported' % (plan, count))


def parse_selftests(path):
    """Yield (suite, case, status, detail) from the results log."""
    cur = None
    lines = []
    for raw in open(path, errors='replace'):
        line = raw.rstrip('\r\n')
        m = re.match(r'^### begin (\S+)', line)
        if m:
            cur, lines = m.group(1), []
            continue
        m = re.match(r'^### end (\S+) exit=(\d+)', line)
        if m and cur:
            yield from selftest_cases(cur, lines, int(m.group(2)))
            cur = None
            continue
        if cur:
            lines.append(line)
    if cur:
        yield (cur.split(':')[0], cur, 'fail', 'did not finish (guest stopped)')


def selftest_cases(name, lines, rc):
    suite = name.split(':')[0]
    plan = None
    cases = []
    for line in lines:
        m = re.match(r'^1\.\.(\d+)$', line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = OK_RE.match(line)
        if m:
            status = 'pass' if m.group(1) == 'ok' else 'fail'
            if m.group(4) == 'SKIP':
                status = 'skip'
            cases.append((suite, m.group(3).strip(), status, m.group(5) or ''))
    if not cases and plan is None:
        case = name.split(':', 1)[1] if ':' in name else name
        tail = ' / '.join(lines[-3:])
        yield (suite, case, 'pass' if rc == 0 else 'fail',
               '' if rc == 0 else 'exit %d: %s' % (rc, tail))
        return
    yield from cases
    yield from nested_cases(lines)
    yield from plan_check(suite, plan, len(cases))
    if rc != 0 and not any(c[2] == 'fail' for c in cases):
        yield (suite, '(exit status)', 'fail',
               'exit %d with no failing case' % rc)


def nested_cases(lines):
    """Cases inside kselftest runner output (lines prefixed with "# ")."""
    step = None
    prog = None
    plan = None
    count = 0

    def check_plan():
        return plan_check(prog and 'vm:' + prog, plan, count)

    for line in lines:
        if not line.startswith('# '):
            continue
        inner = line[2:]
        m = re.match(r'^running (.+)$', inner)
        if m:
            yield from check_plan()
            step = m.group(1).strip()
            prog = step.strip("'").split()[0]
            plan, count = None, 0
            continue
        # run_vmtests echoes the verdict on its own line, which ends the
        # test's last line when that had no newline.
        m = re.search(r'\[(PASS|FAIL|SKIP)\]$', inner)
        if m and step:
            yield ('run_vmtests', step, m.group(1).lower(), '')
            step = None
            continue
        m = re.match(r'^1\.\.(\d+)$', inner)
        if m and prog and plan is None:
            plan = int(m.group(1))
            continue
        m = OK_RE.match(inner)
        if m and prog:
            status = 'pass' if m.group(1) == 'ok' else 'fail'
            if m.group(4) == 'SKIP':
                status = 'skip'
            count += 1
            yield ('vm:' + prog, m.group(3).strip(), status, m.group(5) or '')
    yield from check_plan()


def parse_kunit(path):
    """Yield KUnit cases from the console log."""
    suite = None
    seen = False
    plan = count = None

    def check_plan():
        return plan_check(suite, plan, count)

    for raw in open(path, errors='replace'):
        line = TS_RE.sub('', raw.rstrip('\r\n'))
        m = re.match(r'^\s+# Subtest: (.*)$', line)
        if m:
            yield from check_plan()
            suite = 'kunit:' + m.group(1).strip()
            plan, count = None, 0
            seen = True
            continue
        if suite and re.match(r'^\s+', line):
            m = re.match(r'^1\.\.(\d+)$', line.strip())
            if m and plan is None:
                plan = int(m.group(1))
                continue
            m = OK_RE.match(line.strip())
            if m:
                status = 'pass' if m.group(1) == 'ok' else 'fail'
                if m.group(4) == 'SKIP':
                    status = 'skip'
                count += 1
                yield (suite, m.group(3).strip(), status, m.group(5) or '')
        elif suite and OK_RE.match(line):
            yield from check_plan()
            suite = None
    yield from check_plan()
    if not seen:
        yield ('kunit', '(any suite)', 'fail', 'no KUnit output in the console')


def load_known(path):
    known = {}
    for n, raw in enumerate(open(path), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        parts = [p.strip() for p in line.split('|')]
        if len(parts) != 3 or not all(parts):
            sys.exit('%s:%d: expected "suite | case | reason"' % (path, n))
        known[(parts[0], parts[1])] = parts[2]
    return known


def load_expected(path, arch, part='full'):
    """The suites (name -> number of cases) and the skips ((suite, case) ->
    reason) expected on @arch with the @part of the series."""
    suites, skips, part_suites = {}, {}, {}
    for n, raw in enumerate(open(path), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        parts = [p.strip() for p in line.split('|')]
        where = parts[1].split(':') if len(parts) > 1 else ['']
        if len(where) > 2 or (len(where) == 2 and where[1] not in PARTS):
            sys.exit('%s:%d: "%s": an architecture, or <arch>:%s'
                     % (path, n, parts[1], '|'.join(PARTS)))
        mine = where[0] == arch and (len(where) == 1 or where[1] == part)
        if parts[0] == 'suite' and len(parts) == 4 and parts[3].isdigit():
            if mine:
                (suites if len(where) == 1 else part_suites)[parts[2]] = int(parts[3])
        elif parts[0] == 'skip' and len(parts) == 5 and all(parts):
            if mine:
                skips[(parts[2], parts[3])] = parts[4]
        else:
            sys.exit('%s:%d: expected "suite | arch | suite | cases" or '
                     '"skip | arch | suite | case | reason"' % (path, n))
    suites.update(part_suites)
    if not suites:
        sys.exit('%s: no suite listed for %s' % (path, arch))
    return suites, skips


def check_expected(cases, suites, skips, path):
    """Turn the cases that break the expected results into failures."""
    out = []
    ran = {}
    for suite, case, status, detail in cases:
        ran[suite] = ran.get(suite, 0) + 1
        if status == 'skip':
            want = skips.get((suite, case))
            if want is None:
                status = 'fail'
                detail = 'skipped (%s), and %s lists no such skip' % (detail, path)
            elif want != detail:
                status = 'fail'
                detail = 'skipped (%s), but %s expects "%s"' % (detail, path, want)
        elif (suite, case) in skips and status == 'pass':
            status = 'fail'
            detail = 'listed as a skip in %s but ran: remove it from the list' % path
        out.append((suite, case, status, detail))
    ran_cases = set((c[0], c[1]) for c in cases)
    for key in sorted(set(skips) - ran_cases):
        if key[0] in ran:
            out.append((key[0], key[1], 'fail',
                        'listed as a skip in %s but not run' % path))
    for suite, n in sorted(suites.items()):
        if suite not in ran:
            out.append((suite, '(suite)', 'fail', 'did not run (%s lists %d cases)' % (path, n)))
        elif ran[suite] != n:
            out.append((suite, '(suite)', 'fail', '%d cases ran, %s lists %d: a case is '
                        'missing, or update the list with the tests' % (ran[suite], path, n)))
    for suite in sorted(set(ran) - set(suites)):
        out.append((suite, '(suite)', 'fail', 'not listed in %s' % path))
    return out


def main():
    args = sys.argv[1:]
    out_json = None
    if '--json' in args:
        i = args.index('--json')
        out_json = args[i + 1]
        del args[i:i + 2]
    kunit = True
    if '--no-kunit' in args:
        args.remove('--no-kunit')
        kunit = False
    expected = arch = None
    part = 'full'
    for opt in ('--expected', '--arch', '--part'):
        if opt in args:
            i = args.index(opt)
            if opt == '--expected':
                expected = args[i + 1]
            elif opt == '--part':
                part = args[i + 1]
            else:
                arch = args[i + 1]
            del args[i:i + 2]
    if (expected is None) != (arch is None):
        sys.exit('--expected and --arch go together')
    if part not in PARTS:
        sys.exit('--part: %s is not one of %s' % (part, ', '.join(PARTS)))
    results_log, console_log, known_file = args
    known = load_known(known_file)
    cases = list(parse_selftests(results_log))
    if kunit:
        cases += list(parse_kunit(console_log))
    if expected:
        cases = check_expected(cases, *load_expected(expected, arch, part), expected)

    suites = {}
    problems = []
    seen = set()
    for suite, case, status, detail in cases:
        key = (suite, case)
        seen.add(key)
        row = suites.setdefault(suite, {'pass': 0, 'fail': 0, 'known': 0, 'skip': 0})
        if key in known:
            if status == 'fail':
                status = 'known'
            elif status == 'pass':
                status = 'fail'
                detail = 'listed in known-failures but passed: remove it from the list'
        row[status] += 1
        if status == 'fail':
            problems.append('FAIL %s: %s%s' % (suite, case, ' (%s)' % detail if detail else ''))
        elif status == 'skip':
            problems.append('skip %s: %s (%s)' % (suite, case, detail))
    run_suites = set(k[0] for k in seen)
    for key in sorted(k for k in set(known) - seen if k[0] in run_suites):
        suites.setdefault(key[0], {'pass': 0, 'fail': 0, 'known': 0, 'skip': 0})['fail'] += 1
        problems.append('FAIL %s: %s (listed in known-failures but not run)' % key)

    width = max([len(s) for s in suites] + [5])
    print('%-*s %7s %7s %7s %7s' % (width, 'suite', 'passed', 'failed', 'known', 'skipped'))
    for s in sorted(suites):
        r = suites[s]
        print('%-*s %7d %7d %7d %7d' % (width, s, r['pass'], r['fail'], r['known'], r['skip']))
    for p in problems:
        print(p)
    tot = {k: sum(r[k] for r in suites.values()) for k in ('pass', 'fail', 'known', 'skip')}
    if tot['known']:
        print('%d known failures (expected, listed in %s)' % (tot['known'], known_file))
    if out_json:
        with open(out_json, 'w') as f:
            json.dump({'suites': suites, 'totals': tot,
                       'cases': [list(c) for c in cases]}, f, indent=1)
    print('%d passed, %d failed, %d skipped' % (tot['pass'], tot['fail'], tot['skip']))
    return 1 if tot['fail'] else 0


if __name__ == '__main__':
    sys.exit(main())
