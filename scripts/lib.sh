# shellcheck shell=bash
# Common settings and helpers for the harness scripts.  Sourced, not run.
# Every path can be overridden from the environment (or make VAR=...).

set -euo pipefail

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

# The pinned base: Debian's linux-source-5.10 from bullseye-security.
BASE_PKG=${BASE_PKG:-linux-source-5.10}
BASE_VERSION=${BASE_VERSION:-5.10.262-1}
BASE_SHA256=${BASE_SHA256:-4f01148344ca9e5c1c9743ab4a084cf61c437548f803443ccc044602278b52bc}

# Downloads and the imported base live in a cache shared by all checkouts;
# the working kernel tree and build outputs live in this checkout's build/.
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cow510}
BUILD=${BUILD:-$TOP/build}

# The stable cut: patches 1-$STABLE_CUT are the 5.10 fixes and the design
# with its tests and documentation, what a stable tree takes; the patches
# after it are optimizations.  SERIES_CUT=stable (make ... SERIES_CUT=stable)
# makes the harness use the series up to the cut, in a tree of its own.
STABLE_CUT=71
SERIES_CUT=${SERIES_CUT:-}
case $SERIES_CUT in
'') TREE=${TREE:-$BUILD/linux} ;;
stable) TREE=${TREE:-$BUILD/linux-stable-cut} ;;
*) printf 'error: SERIES_CUT=%s: the only cut is "stable"\n' "$SERIES_CUT" >&2
   exit 1 ;;
esac
BASE_REPO=${BASE_REPO:-$CACHE/base-$BASE_VERSION.git}
PATCHES=${PATCHES:-$TOP/patches}

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
# Paths under $BUILD are hashed relative to it, so another checkout (or a
# fresh clone in CI) hits the same cache entries.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$BUILD}
export CCACHE_NOHASHDIR=1

msg()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# Print a line every $2 seconds while pid $1 runs, so a long silent step
# (extracting, linking, booting) still shows it is alive.
heartbeat() {
	local pid=$1 every=${2:-30} what=${3:-working} t=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		t=$((t + 1))
		if [ $((t % every)) -eq 0 ]; then
			printf '    ... %s (%ds)\n' "$what" "$t" >&2
		fi
	done
}

# arch_info: for $ARCH (x86_64 by default) sets KARCH (the kernel's ARCH),
# CROSS (its CROSS_COMPILE, empty for x86_64), DEB_ARCH (Debian's name),
# IMAGE (the kernel image, relative to a build directory), QEMU_BIN,
# QEMU_PKG (its Debian package) and BIN_WORD (a word file(1) prints for
# that architecture's binaries), from
# configs/arches, the one table of the architectures make run boots.
# shellcheck disable=SC2034 # the callers use what they need of these
arch_info() {
	local line
	ARCH=${ARCH:-x86_64}
	line=$(awk -v a="$ARCH" '!/^#/ && $1 == a' "$TOP/configs/arches")
	[ -n "$line" ] || die "unknown ARCH '$ARCH' ($(arch_names))"
	read -r _ KARCH CROSS DEB_ARCH IMAGE QEMU_BIN QEMU_PKG BIN_WORD <<< "$line"
	[ "$CROSS" != - ] || CROSS=
}
# target_cc: print the C compiler command for ARCH's guest binaries
# (after arch_info): gcc, or the cross compiler with the include and
# library directories of ARCH's liburing-dev and libhugetlbfs-dev, which
# fetch-libs.sh unpacks under $CACHE.  Split it into words (read -ra).
target_cc() {
	local root
	if [ -z "$CROSS" ]; then
		echo gcc
		return
	fi
	root=$("$TOP/scripts/fetch-libs.sh" "$DEB_ARCH") || exit 1
	echo "${CROSS}gcc -I$root/usr/include -L$root/usr/lib/${CROSS%-}"
}
arch_names() {
	awk '!/^#/ && NF { printf "%s%s", s, $1; s = ", " }' "$TOP/configs/arches"
}

# base_tree: prints the path of a checkout of the pinned base (tag "base"),
# made once, which the checks compare the series with (sparse, docs).
base_tree() {
	local t=$BUILD/sparse-base
	if [ ! -d "$t/.git" ]; then
		git clone -q --shared "$BASE_REPO" "$t"
		git -C "$t" checkout -q base
	fi
	echo "$t"
}

# norm_warnings <build log> <source tree>: the compiler's warnings in the
# log, without line numbers or the tree's own path, so that two trees'
# lists compare (no_new_warnings).  An O= build names a source file by
# its path relative to the build directory (../tree/mm/rmap.c), or by its
# absolute path: both go.
norm_warnings() {
	local rel
	rel=$(realpath --relative-to="$(dirname "$1")" "$2")
	{ grep -E '(^|: )warning:' "$1" || true; } |
		sed -E "s|^$2/||; s|^$rel/||; s|:[0-9]+:[0-9]+:|:|; s|:[0-9]+:|:|" | sort -u
}

# no_new_warnings <what> <base-list> <series-list>: both lists sorted; exits
# with an error listing every line of the series' list the base's lacks.
no_new_warnings() {
	local new
	new=$(comm -13 "$2" "$3")
	[ -z "$new" ] && return 0
	echo "error: the series adds $1 warnings:" >&2
	echo "$new" | sed 's/^/  /' >&2
	exit 1
}

# Does commit $2 of tree $1 change a file an x86_64 kernel build reads
# (x86_build_files)?
x86_build_changes() {
	git -C "$1" diff --name-only "$2^" "$2" | x86_build_files | grep -q .
}

# Of the lines on stdin (a path first), those an x86_64 kernel build reads:
# not the selftests (tools/testing/; objtool elsewhere in tools/ is built),
# not Documentation/ or MAINTAINERS, not another architecture.
x86_build_files() {
	awk '$1 !~ /^(tools\/testing\/|Documentation\/|MAINTAINERS$)/ &&
		($1 !~ /^arch\/[^\/]+\// || $1 ~ /^arch\/x86\//)'
}

# check-patches' record key for commit $2 of tree $1: a hash of the files
# an x86_64 kernel build reads (path and blob), so that a change to a
# selftest or to the documentation earlier in the series leaves the later
# patches' builds recorded.
build_key() {
	git -C "$1" ls-tree -r --format='%(path) %(objectname)' "$2" |
		x86_build_files | sha256sum | cut -c1-40
}

# check-patches' record (check-patches.built) keys a build by the patch's
# build_key, the variant and this hash of configs/: any change to an option
# of a config fragment or to the variant list invalidates it; a comment or
# a blank line does not, for it changes no build.
variant_names() { awk '!/^(#|$)/ { print $1 }' "$TOP/configs/variants"; }
# The fragments and the variant list, but not the other architectures'
# fragments (configs/<arch>.config for configs/arches' other lines) nor
# configs/cross/: an x86_64 build of a variant does not read them.
configs_sum() {
	local f others=''
	[ ! -f "$TOP/configs/arches" ] ||
		others=$(awk '!/^#/ && NF && $1 != "x86_64" { print $1 ".config" }' "$TOP/configs/arches")
	for f in "$TOP"/configs/*.config "$TOP/configs/variants"; do
		grep -qx "${f##*/}" <<< "$others" || grep -Ev '^[[:space:]]*(#|$)' "$f" || true
	done | sha256sum | cut -c1-16
}

# The series: its patch files in order (the cover letter aside), and a
# stamp of their contents, which records which series a tree or a run
# carries.  Every script that needs either takes it from here.
series_patches() {
	local p n=0 last=
	[ "$SERIES_CUT" = stable ] && last=$STABLE_CUT
	for p in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
		case ${p##*/} in
		0000-*) ;;
		*) [ -e "$p" ] || continue
		   n=$((n + 1))
		   if [ -n "$last" ] && [ "$n" -gt "$last" ]; then break; fi
		   echo "$p" ;;
		esac
	done
	if [ -n "$last" ] && [ "$n" -lt "$last" ]; then
		die "the stable cut is patch $last, but $PATCHES has $n patches"
	fi
}
series_stamp() {
	local p
	p=$(series_patches)
	# shellcheck disable=SC2086 # one path per line, no spaces
	{ [ -z "$p" ] || cat $p; } | sha256sum | cut -c1-16
}

# debian_mirrors: prints "<main> <security>", the Debian mirrors of this
# machine's apt sources.  Every download of Debian packages for another
# suite than the machine's (the base's source package, make vm's bullseye
# root) goes to them: one mirror policy, the machine's.
debian_mirrors() {
	local main='' sec=''
	local files
	# APT_SOURCES: the apt source files to read the mirrors from.
	# shellcheck disable=SC2086 # a list of paths and globs: split and expanded on purpose
	files=$(ls ${APT_SOURCES:-/etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources} 2>/dev/null || true)
	[ -n "$files" ] || die "no apt sources found in /etc/apt; cannot locate a Debian mirror"
	# deb822 "URIs:" lines and one-line "deb URI suite" entries.
	local uris flist
	mapfile -t flist <<< "$files"
	uris=$(cat "${flist[@]}" | sed -n -e 's/^URIs:[[:space:]]*//p' \
		-e 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' | tr ' ' '\n')
	for u in $uris; do
		case $u in
		*security*) [ -n "$sec" ] || sec=$u ;;
		*) [ -n "$main" ] || main=$u ;;
		esac
	done
	[ -n "$main" ] || die "no Debian main mirror found in the apt sources"
	[ -n "$sec" ] || sec=${main%/debian}/debian-security
	echo "$main $sec"
}

# kernel_cc <cross-prefix>: sets kcc and khostcc, the compilers a kernel
# build uses (<prefix>gcc and the host's gcc), through ccache if present.
kernel_cc() {
	# shellcheck disable=SC2034 # kcc and khostcc are the callers' (build.sh, cross-build.sh)
	kcc=${1}gcc khostcc=gcc
	command -v "$kcc" > /dev/null || die "$kcc not found (make deps installs it; make cross the cross compilers)"
	# shellcheck disable=SC2034 # as above
	if command -v ccache > /dev/null; then kcc="ccache $kcc" khostcc="ccache gcc"; fi
}

# run_logged <log> <what> <command...>: the command (a function too) with
# its output in <log> and a heartbeat line every 30 s; on failure, the
# log's first error lines and status 1.
run_logged() {
	local log=$1 what=$2 pid
	shift 2
	("$@" > "$log" 2>&1) &
	pid=$!
	heartbeat $pid 30 "$what"
	wait $pid && return 0
	grep -E 'error|Error' "$log" | head -n 20 >&2
	return 1
}
