#!/usr/bin/env python3
"""Keep the figures README and docs quote equal to the files that hold them.

    includes.py [--check] [file.md...]      (default: README.md docs/*.md)
    includes.py --expand cover-letter.txt   (prints it expanded)

A block
    <!-- include bench/summary.md -->
    ...
    <!-- end include -->
holds a copy of the named file (a path from the repository's top), which
the tool that measured the figures wrote (bench/report.py,
scripts/record-results.py, make record-run).  Without --check, every
block is rewritten from its file; with --check, nothing is written and
the exit status is 1 if a block differs from its file (t/figures.t).
The cover letter takes the same files with "@include path@" lines,
expanded by scripts/export.sh (expand()).
"""
import glob
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BLOCK = re.compile(r'(<!-- include (\S+) -->\n)(.*?)(<!-- end include -->)', re.S)
LINE = re.compile(r'^@include (\S+)@$', re.M)


def source(path):
    try:
        with open(os.path.join(TOP, path)) as f:
            return f.read().rstrip('\n') + '\n'
    except OSError as e:
        sys.exit('error: %s is included but cannot be read (%s); the tool that '
                 'writes it: make record, make record-run or make bench'
                 % (path, e.strerror))


def expand(text):
    """The cover letter's "@include path@" lines replaced by the files."""
    return LINE.sub(lambda m: source(m.group(1)).rstrip('\n'), text)


def refresh(text):
    return BLOCK.sub(lambda m: m.group(1) + source(m.group(2)) + m.group(4), text)


def main():
    args = sys.argv[1:]
    if args[:1] == ['--expand'] and len(args) == 2:
        sys.stdout.write(expand(open(args[1]).read()))
        return 0
    check = '--check' in args
    files = [a for a in args if a != '--check'] or \
        ['README.md'] + sorted(glob.glob('docs/*.md'))
    bad = 0
    for rel in files:
        path = os.path.join(TOP, rel)
        text = open(path).read()
        new = refresh(text)
        if new == text:
            continue
        if check:
            for m in BLOCK.finditer(text):
                if m.group(3) != source(m.group(2)):
                    print('%s: the copy of %s differs from it (scripts/includes.py)'
                          % (rel, m.group(2)))
            bad = 1
        else:
            open(path, 'w').write(new)
            print('updated %s' % rel)
    return bad


if __name__ == '__main__':
    sys.exit(main())
