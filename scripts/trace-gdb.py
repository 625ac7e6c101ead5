# Run by gdb (gdb -batch -x scripts/trace-gdb.py) against QEMU's gdbstub:
# skip TRACE_IGNORE calls of the function at TRACE_ADDR (those meeting
# TRACE_COND, a gdb expression, if given), then single-step the next call
# to its return and write one program counter a line to TRACE_OUT.
# QEMU masks interrupts while single-stepping, so the trace is the call's
# own instructions.
import os

import gdb

addr = int(os.environ['TRACE_ADDR'], 16)
gdb.execute('set pagination off')
gdb.execute('target remote :%s' % os.environ.get('TRACE_PORT', '1234'))
bp = gdb.Breakpoint('*0x%x' % addr, internal=True)
bp.ignore_count = int(os.environ.get('TRACE_IGNORE', '0'))
if os.environ.get('TRACE_COND'):
    bp.condition = os.environ['TRACE_COND']
gdb.execute('continue')
bp.delete()
sp = int(gdb.parse_and_eval('$rsp'))
ret = int.from_bytes(bytes(gdb.selected_inferior().read_memory(sp, 8)), 'little')
pcs = [addr]
while len(pcs) < 1000000:
    gdb.execute('stepi', to_string=True)
    pc = int(gdb.parse_and_eval('$pc'))
    if pc == ret and int(gdb.parse_and_eval('$rsp')) > sp:
        break
    pcs.append(pc)
with open(os.environ['TRACE_OUT'], 'w') as f:
    f.writelines('%x\n' % pc for pc in pcs)
gdb.execute('kill')
