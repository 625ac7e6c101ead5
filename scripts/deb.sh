#!/bin/bash
# Build a Debian package of the patched kernel (make bindeb-pkg) and check
# it by installing it into a scratch dpkg root:  deb.sh
# DEB_CONFIG selects the kernel config:
#   small   (default) configs/base.config + configs/prod.config: the small
#           QEMU config, which is what is tested here;
#   debian  Debian's own config of the pinned base (from the matching
#           linux-image-5.10.0-*-amd64-unsigned package), for real
#           hardware: a full distribution kernel, an hour or more on 2 cores;
#   vm      Debian's config reduced by localmodconfig to the modules a
#           QEMU guest loads (configs/vm.lsmod): every =y option stays, so
#           the kernel is Debian's but for unused modules and debug info;
#           what make vm boots;
#   <file>  a local .config of your own.
. "$(dirname "$0")/lib.sh"

DEB_CONFIG=${DEB_CONFIG:-small}
dir=$BUILD/deb
# Same depth as the other out-* dirs, so ccache hits the prod build.
out=$BUILD/out-deb
[ "$DEB_CONFIG" = vm ] && out=$BUILD/out-deb-vm
mkdir -p "$dir"
rm -f "$dir"/*.deb "$dir"/*.buildinfo "$dir"/*.changes

debian_config() {	# print the path of Debian's config for the base
	local apt_dir=$CACHE/apt
	[ -f "$apt_dir/sources.list" ] || "$TOP/scripts/fetch-base.sh"
	local aopt=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$apt_dir/lists")
	local pkg
	pkg=$(apt-cache "${aopt[@]}" search --names-only '^linux-image-5\.10\.0-[0-9]+-amd64-unsigned$' |
		cut -d' ' -f1 | while read -r p; do
			apt-cache "${aopt[@]}" madison "$p" | grep -q "| *$BASE_VERSION *|" && echo "$p"
		done | head -n 1)
	[ -n "$pkg" ] || die "no linux-image-5.10.0-*-amd64-unsigned at $BASE_VERSION in the archive"
	local cfgdir=$CACHE/$pkg-config
	if [ ! -d "$cfgdir" ]; then
		(cd "$CACHE" && apt-get "${aopt[@]}" -q download "$pkg=$BASE_VERSION" >/dev/null 2>&1) ||
			die "cannot download $pkg $BASE_VERSION"
		mkdir -p "$cfgdir"
		dpkg-deb --fsys-tarfile "$CACHE/${pkg}_"*.deb | tar -x -C "$cfgdir" --wildcards './boot/config-*'
	fi
	ls "$cfgdir"/boot/config-*
}

cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
case $DEB_CONFIG in
small)
	"$TOP/scripts/build.sh" prod "$out" ;;
*)
	case $DEB_CONFIG in
	debian|vm) cfg=$(debian_config) ;;
	*) cfg=$DEB_CONFIG ;;
	esac
	[ -f "$cfg" ] || die "no such config: $cfg"
	mkdir -p "$out"
	cp "$cfg" "$out/.config"
	# Debian signs modules with its own key: build unsigned.
	"$TREE/scripts/config" --file "$out/.config" --set-str SYSTEM_TRUSTED_KEYS '' \
		--disable MODULE_SIG_ALL --set-str MODULE_SIG_KEY 'certs/signing_key.pem'
	make -s -C "$TREE" O="$out" CC="$cc" olddefconfig
	if [ "$DEB_CONFIG" = vm ]; then
		# localmodconfig keeps every =y option and only the modules
		# listed; no debug info (a -dbg package of gigabytes that the
		# guest does not use).
		make -s -C "$TREE" O="$out" CC="$cc" LSMOD="$TOP/configs/vm.lsmod" \
			localmodconfig < /dev/null > "$dir/localmodconfig.log" 2>&1 ||
			{ cat "$dir/localmodconfig.log" >&2; die "localmodconfig failed"; }
		# GUP_TEST: the debugfs file cow and gup_test pin through
		# (the series' rename of 5.10's GUP_BENCHMARK, off in Debian).
		"$TREE/scripts/config" --file "$out/.config" --disable DEBUG_INFO \
			--disable DEBUG_INFO_BTF --enable GUP_TEST
		make -s -C "$TREE" O="$out" CC="$cc" olddefconfig
		msg "vm config: $(grep -c '=y$' "$out/.config") options =y, $(grep -c '=m$' "$out/.config") modules"
	fi ;;
esac

msg "packaging with bindeb-pkg ($DEB_CONFIG config)"
(make -C "$TREE" O="$out" CC="$cc" -j"${JOBS:-$(nproc)}" \
	KDEB_PKGVERSION="${BASE_VERSION}+cow1" KDEB_CHANGELOG_DIST=bullseye \
	LOCALVERSION=-cow bindeb-pkg > "$dir/bindeb-pkg.log" 2>&1) &
heartbeat $! 30 "bindeb-pkg"
wait $! || { tail -n 20 "$dir/bindeb-pkg.log" >&2; die "bindeb-pkg failed; log: $dir/bindeb-pkg.log"; }
mv "$(dirname "$out")"/linux-*.deb "$dir"/ 2>/dev/null || true
# The first linux-image package, not the -dbg one.
image=''
for f in "$dir"/linux-image-*.deb; do
	case ${f##*/} in *dbg*) continue ;; esac
	if [ -f "$f" ]; then image=$f; break; fi
done
[ -n "$image" ] || die "bindeb-pkg made no linux-image package"
msg "package: $image"
dpkg-deb -I "$image" | sed -n 's/^ \(Package\|Version\|Architecture\|Description\):/  \1:/p'

# Install it into a scratch dpkg root: dpkg runs the maintainer scripts
# chrooted there, with busybox as the shell, so the host is not touched.
[ "$(id -u)" = 0 ] || die "installing into a dpkg root needs root (chroot)"
root=$dir/root
rm -rf "$root"
mkdir -p "$root"/{bin,boot,etc,tmp,var/lib/dpkg/info,var/lib/dpkg/updates}
touch "$root/var/lib/dpkg/status"
cp "$(command -v busybox)" "$root/bin/busybox"
for t in sh test mkdir rm ls cat run-parts; do ln -s busybox "$root/bin/$t"; done
dpkg --root="$root" --force-depends -i "$image" > "$dir/install.log" 2>&1 ||
	{ cat "$dir/install.log" >&2; die "dpkg could not install $image"; }
pkg=$(dpkg-deb -f "$image" Package)
status=$(dpkg --root="$root" -s "$pkg" | sed -n 's/^Status: //p')
kver=${pkg#linux-image-}
[ "$status" = "install ok installed" ] || die "$pkg is '$status' in the dpkg root"
[ -f "$root/boot/vmlinuz-$kver" ] || die "no /boot/vmlinuz-$kver in the installed package"
cmp -s "$root/boot/vmlinuz-$kver" "$out/arch/x86/boot/bzImage" ||
	die "the installed vmlinuz differs from the built bzImage"
msg "installed in a dpkg root: $pkg ($status), /boot/vmlinuz-$kver is the built kernel"
