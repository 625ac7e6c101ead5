#!/bin/bash
# Boot a kernel with the test initramfs under QEMU (TCG) and collect logs:
#   boot.sh <kernel image> <initramfs> <logdir>
# Writes <logdir>/console.log (kernel console, ttyS0) and
# <logdir>/results.log (test output, ttyS1).  Another ARCH (configs/arches)
# boots on that architecture's QEMU machine, the results on a virtio
# console: arm64 and armhf on the virt machine (console on the PL011,
# ttyAMA0), ppc64el on pseries (console on the first spapr-vty, hvc0),
# s390x on s390-ccw-virtio (console on the SCLP, ttysclp0).  Fails,
# showing the console tail, when the guest hangs past BOOT_TIMEOUT seconds
# or stops before the tests finished; fails, showing the excerpt, when the
# console holds an oops, BUG, WARNING, KASAN or lockdep report.
. "$(dirname "$0")/lib.sh"

usage="usage: boot.sh <kernel image> <initramfs> <logdir>"
kernel=${1:?$usage}
initrd=${2:?$usage}
logdir=${3:?$usage}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-1200}
arch_info
QEMU=${QEMU:-$QEMU_BIN}
# QEMU_CPU and QEMU_MACHINE: the CPU model and machine where the
# architecture has a choice; arm64's virt machine runs with MTE (the cow
# selftest checks that MTE tags survive swap), armhf's Cortex-A15 has LPAE
# (its PCIe stays below 4 GiB: a 32-bit kernel's vmalloc area cannot map
# the ECAM window QEMU puts above; the 3 GiB of RAM are high memory anyway),
# and pseries offers the hash MMU 16 MiB pages (QEMU's default stops at
# 64 KiB), which its THPs and hugetlb pages need (CMDLINE=disable_radix).
case $ARCH in
arm64) QEMU_CPU=${QEMU_CPU:-max} QEMU_MACHINE=${QEMU_MACHINE:-virt,mte=on} ;;
armhf) QEMU_CPU=${QEMU_CPU:-cortex-a15} QEMU_MACHINE=${QEMU_MACHINE:-virt,highmem=off} ;;
ppc64el) QEMU_CPU=${QEMU_CPU:-POWER9} QEMU_MACHINE=${QEMU_MACHINE:-pseries,cap-hpt-max-page-size=16M} ;;
s390x) QEMU_CPU=${QEMU_CPU:-max} QEMU_MACHINE=${QEMU_MACHINE:-s390-ccw-virtio} ;;
esac
QEMU_SMP=${QEMU_SMP:-2}
QEMU_MEM=${QEMU_MEM:-3G}
QEMU_EXTRA=${QEMU_EXTRA:-}
# QEMU_NUMA_NODES: x86_64 and ppc64el guests get this many NUMA nodes (the
# ACPI SRAT, the device tree's ibm,associativity), with QEMU_MEM and the
# CPUs split evenly, a socket per node; 1 for a flat machine.  The others
# get one.
QEMU_NUMA_NODES=${QEMU_NUMA_NODES:-2}
case $ARCH in
x86_64|ppc64el) ;;
*) QEMU_NUMA_NODES=1 ;;
esac
# QEMU_ACCEL: the -accel option (icount needs tcg,thread=single).
# ppc64el runs its vCPUs in turn on one host thread.  QEMU 7.2's radix MMU
# sets a PTE's R and C bits by storing back the whole PTE it walked
# (ppc_radix64_set_rc()), not atomically: with a host thread per vCPU, a
# walk on one vCPU can put back a PTE the kernel has just cleared with
# ldarx/stdcx. on the other (docs/arches.md has the console record).  One
# thread never switches vCPUs in the middle of a walk.
accel=tcg,thread=multi
[ "$ARCH" != ppc64el ] || accel=tcg,thread=single
QEMU_ACCEL=${QEMU_ACCEL:-$accel}
CMDLINE=${CMDLINE:-}
# ROOT_DISK: a disk image to boot from instead of the initramfs alone (make
# vm: a Debian root filesystem, /dev/vda; the swap disk is then /dev/vdb).
ROOT_DISK=${ROOT_DISK:-}

mkdir -p "$logdir"
console=$logdir/console.log
results=$logdir/results.log
: > "$console"
: > "$results"
swapdisk=$logdir/swap.img
truncate -s 512M "$swapdisk"
# s390x's virtio devices sit on the channel subsystem, the others' on PCI.
bus=pci
[ "$ARCH" != s390x ] || bus=ccw
# Data disks for dio_fork (fork() vs O_DIRECT), found by the guest through
# their serial numbers: a raw one, and ext2 and ext4 made here (busybox has
# no mkfs.ext4), without the ext4 features 5.10 cannot mount.
dio_disks=()
mkdir -p "$logdir/dio"
truncate -s 16M "$logdir/dio/raw.img"
rm -f "$logdir/dio/ext2.img" "$logdir/dio/ext4.img"
mkfs.ext2 -q -F -b 4096 "$logdir/dio/ext2.img" 32M >/dev/null ||
	die "mkfs.ext2 failed (e2fsprogs: make deps)"
mkfs.ext4 -q -F -b 4096 -O ^orphan_file,^metadata_csum_seed \
	"$logdir/dio/ext4.img" 32M >/dev/null 2>&1 ||
	mkfs.ext4 -q -F -b 4096 "$logdir/dio/ext4.img" 32M >/dev/null ||
	die "mkfs.ext4 failed (e2fsprogs: make deps)"
for d in raw ext2 ext4; do
	dio_disks+=(-drive "file=$logdir/dio/$d.img,if=none,id=dio-$d,format=raw"
		-device "virtio-blk-$bus,drive=dio-$d,serial=dio-$d")
done

# The machine, the console, the results port (guest/init writes to the
# tty named by results_tty=, ttyS1 by default) and the swap disk.
case $ARCH in
x86_64)
	# Every disk a -device, in this order, so that the guest names them
	# in this order (a -drive if=virtio disk would come after them all):
	# the root disk if any, then swap (/dev/vda or /dev/vdb), then dio's.
	machine=(-serial "file:$console" -serial "file:$results")
	if [ -n "$ROOT_DISK" ]; then
		machine+=(-drive "file=$ROOT_DISK,if=none,id=root,format=raw"
			-device "virtio-blk-pci,drive=root,serial=root")
	fi
	machine+=(-drive "file=$swapdisk,if=none,id=swap,format=raw"
		-device "virtio-blk-pci,drive=swap,serial=swap" "${dio_disks[@]}")
	args="console=ttyS0" ;;
*)
	# The machine's own console (-serial: the PL011, the spapr-vty, the
	# SCLP console); the results on a virtio console, hvc1 on pseries,
	# whose spapr-vty is hvc0.
	machine=(-machine "$QEMU_MACHINE" -cpu "$QEMU_CPU" -nic none -serial "file:$console"
		-device "virtio-serial-$bus" -chardev "file,id=results,path=$results"
		-device "virtconsole,chardev=results"
		-drive "file=$swapdisk,if=none,id=swap,format=raw"
		-device "virtio-blk-$bus,drive=swap,serial=swap" "${dio_disks[@]}")
	case $ARCH in
	arm64|armhf) args="console=ttyAMA0 results_tty=hvc0" ;;
	ppc64el) args="console=hvc0 results_tty=hvc1" ;;
	s390x) args="console=ttysclp0 results_tty=hvc0" ;;
	esac
	[ -z "$ROOT_DISK" ] || die "ROOT_DISK is x86_64 only" ;;
esac
[ -z "$ROOT_DISK" ] || args="$args root=/dev/vda rw"

mem=$QEMU_MEM
smp=$QEMU_SMP
numa=()
nodes=1
if [ "$QEMU_NUMA_NODES" -gt 1 ]; then
	# One socket per node, so that no cache is shared across nodes.
	nodes=$QEMU_NUMA_NODES
	[ $((QEMU_SMP % nodes)) -eq 0 ] ||
		die "QEMU_SMP=$QEMU_SMP is not a multiple of QEMU_NUMA_NODES=$nodes"
	cores=$((QEMU_SMP / nodes))
	smp=$QEMU_SMP,sockets=$nodes,cores=$cores,threads=1
	per=$(( $(numfmt --from=iec "$QEMU_MEM") / nodes / 1048576 ))
	[ "$per" -gt 0 ] || die "QEMU_MEM=$QEMU_MEM is too small for $nodes NUMA nodes"
	mem=$((per * nodes))M
	for ((i = 0; i < nodes; i++)); do
		numa+=(-object "memory-backend-ram,id=mem$i,size=${per}M"
			-numa "node,nodeid=$i,memdev=mem$i,cpus=$((i * cores))-$((i * cores + cores - 1))")
	done
fi

# QEMU_EXTRA: further QEMU options, split at blanks (-d '': all of its
# lines; read then returns 1 at the end of input).
read -r -d '' -a extra <<< "$QEMU_EXTRA" || true
msg "booting $(basename "$kernel") under QEMU ($ARCH, TCG, -smp $QEMU_SMP, $nodes NUMA node(s), timeout ${BOOT_TIMEOUT}s)"
timeout --foreground -k 5 "$BOOT_TIMEOUT" "$QEMU" -accel "$QEMU_ACCEL" \
	-smp "$smp" -m "$mem" "${numa[@]}" -display none -monitor none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "$args panic=-1 loglevel=7 $CMDLINE" \
	"${machine[@]}" \
	"${extra[@]}" > "$logdir/qemu.log" 2>&1 &
pid=$!
last=''
t=0
while kill -0 $pid 2>/dev/null; do
	sleep 1
	t=$((t + 1))
	cur=$(grep -a '^### begin' "$results" 2>/dev/null | tail -n 1 | cut -d' ' -f3 || true)
	if [ -n "$cur" ] && [ "$cur" != "$last" ]; then
		printf '    ... running %s (%ds)\n' "$cur" "$t" >&2
		last=$cur
	elif [ $((t % 60)) -eq 0 ]; then
		printf '    ... %s (%ds)\n' "${cur:-booting}" "$t" >&2
	fi
done
rc=0
wait $pid || rc=$?
rm -f "$swapdisk"
rm -rf "$logdir/dio"

fail=0
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "error: the guest hung: killed after ${BOOT_TIMEOUT}s. Console tail:" >&2
	tail -n 30 "$console" | sed 's/^/  | /' >&2
	fail=1
elif [ $rc -ne 0 ]; then
	echo "error: QEMU failed (exit $rc):" >&2
	tail -n 10 "$logdir/qemu.log" | sed 's/^/  | /' >&2
	fail=1
elif ! grep -aq '^### all done' "$results"; then
	echo "error: the guest stopped before the tests finished. Console tail:" >&2
	tail -n 30 "$console" | sed 's/^/  | /' >&2
	fail=1
fi
"$TOP/scripts/splat.sh" "$console" || fail=1
exit $fail
