"""Function names of a vmlinux by address, from nm: used by
kcsan-report.py (KCSAN stacks of a kernel without KALLSYMS) and
scripts/trace-count.py (instructions per function of a traced call)."""
import bisect
import subprocess


class Symbols:
    """Text symbols of a vmlinux (none if vmlinux is None); name(addr) is
    the function containing addr."""

    def __init__(self, vmlinux):
        self.addrs, self.names = [], []
        if not vmlinux:
            return
        out = subprocess.run(['nm', '-n', vmlinux], capture_output=True, text=True,
                             check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) >= 3 and f[1] in 'tTwW':
                self.addrs.append(int(f[0], 16))
                self.names.append(f[2])

    def name(self, addr):
        i = bisect.bisect_right(self.addrs, addr) - 1
        return self.names[i] if i >= 0 else None
