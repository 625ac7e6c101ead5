#!/usr/bin/env python3
"""Instructions of one traced kernel call, per function, and the listing of
the traced function's own instructions in execution order:

    trace-count.py <vmlinux> <pcs> <function>
"""
import collections
import subprocess
import sys

from ksyms import Symbols  # scripts/ksyms.py, next to this file


def main():
    vmlinux, pcs_path, func = sys.argv[1:4]
    syms = Symbols(vmlinux)
    pcs = [int(line, 16) for line in open(pcs_path)]
    per = collections.Counter(syms.name(pc) for pc in pcs)
    print('%d instructions' % len(pcs))
    for name, k in per.most_common():
        print('%8d  %s' % (k, name))
    dis = subprocess.run(['objdump', '-d', '--no-show-raw-insn', '--disassemble=' + func,
                          vmlinux], capture_output=True, text=True, check=True).stdout
    ins = {}
    for line in dis.splitlines():
        a, sep, rest = line.strip().partition(':')
        if sep and a.startswith('ffffffff') and ' ' not in a:
            ins[int(a, 16)] = rest.strip()
    print('\n%s, in execution order:' % func)
    for pc in pcs:
        if pc in ins:
            print('  %x  %s' % (pc, ins[pc]))


if __name__ == '__main__':
    main()
