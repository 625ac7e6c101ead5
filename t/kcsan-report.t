#!/bin/bash
# kcsan-report.py: titles with names, bare addresses resolved through a
# vmlinux (a kernel without KALLSYMS), and which races count as the series'.
. "$(dirname "$0")/lib.sh"

# A stand-in vmlinux: five functions at kernel text addresses.
cat > "$T/fk.c" <<'C'
void kcsan_report(void) {}
void kcsan_setup_watchpoint(void) {}
void do_wp_page(void) {}
void down_read(void) {}
void gup_test_ioctl(void) {}
void _start(void) {}
C
gcc -O0 -mcmodel=kernel -fno-pie -no-pie -nostdlib -static \
	-Wl,-Ttext=0xffffffff81000000 -o "$T/vmlinux" "$T/fk.c"
ok $? "a stand-in vmlinux links"
addr() { nm "$T/vmlinux" | awk -v f="$1" '$3 == f { print "0x" $1 }'; }

# The series changes do_wp_page() and gup_test_ioctl().
cat > "$T/diff" <<'D'
@@ -1,3 +1,4 @@ static vm_fault_t do_wp_page(struct vm_fault *vmf)
+	x = 1;
@@ -5,3 +5,4 @@ static long gup_test_ioctl(struct file *filep, unsigned int cmd,
+	y = 2;
D
: > "$T/base"
unknown() {	# a "race at unknown origin" report: its frames, innermost first
	echo "[    1.000000] =================================================================="
	echo "[    1.000000] BUG: KCSAN: data-race in $(addr kcsan_report)"
	echo "[    1.000000] "
	echo "[    1.000000] race at unknown origin, with read to 0xffff888000addc2c of 4 bytes by task 805 on cpu 0:"
	for f in kcsan_report kcsan_setup_watchpoint "$@"; do
		echo "[    1.000000]  $(addr "$f")"
	done
	echo "[    1.000000] =================================================================="
}
kreport() { python3 "$TOP/scripts/kcsan-report.py" "$T/base" "$T/series" "$T/diff" \
	"$T/vmlinux" "$T/vmlinux" > "$T/out" 2>&1; }

unknown down_read gup_test_ioctl > "$T/series"
kreport
ok $? "a race in base code, reached from a series function, is not the series'"
has "$T/out" 'data-race in down_read +\[gup_test_ioctl\]$' \
	"its title skips KCSAN's runtime frames; the series frame is shown"

unknown do_wp_page down_read > "$T/series"
kreport
ok "$([ $? -ne 0 ]; echo $?)" "a race whose access is in series code fails"
has "$T/out" '^SERIES CODE: data-race in do_wp_page$' "and is named"

cat > "$T/series" <<'K'
[    2.000000] BUG: KCSAN: data-race in gup_test_ioctl / xxh64
[    2.000000] 
[    2.000000] write to 0xffff8880090f69c8 of 8 bytes by task 25 on cpu 1:
[    2.000000]  gup_test_ioctl+0x10/0x200
[    2.000000] 
[    2.000000] read to 0xffff8880090f69c8 of 8 bytes by task 26 on cpu 0:
[    2.000000]  xxh64+0x10/0x200
[    2.000000] ==================================================================
K
kreport
ok "$([ $? -ne 0 ]; echo $?)" "a KALLSYMS title naming series code fails"
has "$T/out" '^0 +1 +yes +data-race in gup_test_ioctl / xxh64' "and is counted for the series"

done_testing
