#!/bin/bash
# boot.sh with a stand-in QEMU: a hung guest is killed at the timeout with
# the console tail shown; a console with an oops, WARNING, KASAN or lockdep
# report fails the run with the excerpt; a clean run passes.
. "$(dirname "$0")/lib.sh"
export QEMU=$TOP/t/fake-qemu
touch "$T/bzImage" "$T/initrd"
printf '### begin cow\nok 1 x\n### end cow exit=0\n### all done\n' > "$T/results"

printf '[    0.100000] Linux version 5.10.262\n[    0.200000] last words before the hang\n' > "$T/console"
FAKE_CONSOLE_SRC=$T/console FAKE_SLEEP=600 BOOT_TIMEOUT=3 \
	bash "$TOP/scripts/boot.sh" "$T/bzImage" "$T/initrd" "$T/logs" > "$T/out" 2>&1
ok "$([ $? -ne 0 ]; echo $?)" "a hung guest fails the run"
has "$T/out" 'hung: killed after 3s' "the error says it hung and was killed"
has "$T/out" 'last words before the hang' "the console tail is shown"

FAKE_CONSOLE_SRC=$T/console FAKE_RESULTS_SRC=$T/results \
	bash "$TOP/scripts/boot.sh" "$T/bzImage" "$T/initrd" "$T/logs" > "$T/out" 2>&1
ok $? "a clean run passes"

FAKE_CONSOLE_SRC=$T/console FAKE_RESULTS_SRC=$T/results FAKE_ARGS=$T/args ARCH=arm64 \
	bash "$TOP/scripts/boot.sh" "$T/bzImage" "$T/initrd" "$T/logs" > "$T/out" 2>&1
ok $? "a clean arm64 run passes"
has "$T/args" '^virt,mte=on$' "arm64 boots the virt machine, with MTE"
has "$T/args" 'console=ttyAMA0 results_tty=hvc0' "with the PL011 console and results on hvc0"
has "$T/args" '^virtio-blk-pci,drive=swap,serial=swap$' "and the swap disk on virtio-blk, named by its serial"
has "$T/args" '^virtio-blk-pci,drive=dio-ext4,serial=dio-ext4$' "and dio_fork's data disks"

printf '### begin cow\nok 1 x\n' > "$T/partial"
FAKE_CONSOLE_SRC=$T/console FAKE_RESULTS_SRC=$T/partial \
	bash "$TOP/scripts/boot.sh" "$T/bzImage" "$T/initrd" "$T/logs" > "$T/out" 2>&1
ok "$([ $? -ne 0 ]; echo $?)" "a guest that stops before the tests end fails"
has "$T/out" 'stopped before the tests finished' "and says so"

splat() {	# splat <name> <report lines...>
	local f=$T/console-$1
	shift
	{
		echo '[    1.000000] cow-harness: running cow'
		for l in "$@"; do printf '[    1.100000] %s\n' "$l"; done
		echo '[    1.200000] cow-harness: finished cow exit=0'
	} > "$f"
	FAKE_CONSOLE_SRC=$f FAKE_RESULTS_SRC=$T/results \
		bash "$TOP/scripts/boot.sh" "$T/bzImage" "$T/initrd" "$T/logs" > "$T/out" 2>&1
}
splat warn '------------[ cut here ]------------' \
	'WARNING: CPU: 1 PID: 57 at mm/memory.c:3120 do_wp_page+0x1b/0x2c0' \
	'Call Trace:' ' handle_mm_fault+0x1a/0x30' '---[ end trace 1234 ]---'
ok "$([ $? -ne 0 ]; echo $?)" "a WARNING fails the run"
has "$T/out" 'WARNING: CPU: 1 PID: 57 at mm/memory.c:3120' "the WARNING line is shown"
has "$T/out" 'handle_mm_fault' "with its call trace"

splat oops 'BUG: unable to handle page fault for address: 0000000000000008' 'Oops: 0000 [#1] SMP'
ok "$([ $? -ne 0 ]; echo $?)" "an oops fails the run"
has "$T/out" 'BUG: unable to handle page fault' "the oops is shown"

splat kasan '==================================================================' \
	'BUG: KASAN: use-after-free in copy_page+0x10/0x20'
ok "$([ $? -ne 0 ]; echo $?)" "a KASAN report fails the run"
has "$T/out" 'KASAN: use-after-free' "the KASAN report is shown"

splat lockdep 'WARNING: possible circular locking dependency detected'
ok "$([ $? -ne 0 ]; echo $?)" "a lockdep report fails the run"
has "$T/out" 'possible circular locking' "the lockdep report is shown"

splat vmbug 'page:00000000deadbeef refcount:0 mapcount:0' 'kernel BUG at mm/rmap.c:1234!'
ok "$([ $? -ne 0 ]; echo $?)" "a VM_BUG_ON fails the run"
has "$T/out" 'kernel BUG at mm/rmap.c:1234' "the BUG is shown"
splat swap 'swap_info_get: Bad swap file entry 3c000000000001'
ok "$([ $? -ne 0 ]; echo $?)" "a bad swap entry fails the run"
has "$T/out" 'Bad swap file entry' "the swap error is shown"

splat swapoff 'swap_free: Unused swap offset entry 00000412'
ok "$([ $? -ne 0 ]; echo $?)" "an unused swap entry fails the run"

splat rcu 'rcu: INFO: rcu_sched self-detected stall on CPU' 'rcu: 	1-....: (20999 ticks this GP)'
ok "$([ $? -ne 0 ]; echo $?)" "an RCU stall fails the run"
has "$T/out" 'self-detected stall on CPU' "the stall is shown"

splat hung 'INFO: task gup_stress:91 blocked for more than 120 seconds.' '      Not tainted 5.10.262 #1'
ok "$([ $? -ne 0 ]; echo $?)" "a hung task fails the run"
has "$T/out" 'blocked for more than 120 seconds' "the hung task is shown"
done_testing
