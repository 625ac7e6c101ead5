#!/bin/bash
# Build the Debian 11 (bullseye) disk image make vm boots:
#   vm-rootfs.sh <linux-image.deb> <kselftest-install-dir> <outdir>
# The bullseye system comes from mmdebstrap, with its own apt
# configuration inside the new root (nothing on the host changes), and is
# cached as a tarball under CACHE.  Into a copy of it go the kernel package,
# installed with dpkg as a user would (its postinst builds the initrd with
# initramfs-tools), the installed kselftests under /opt/kselftests, and
# the unit that runs them at boot (guest/vm-run).  Writes <outdir>/disk.img
# (ext4, the root filesystem), <outdir>/vmlinuz and <outdir>/initrd.img.
. "$(dirname "$0")/lib.sh"

deb=${1:?usage: vm-rootfs.sh <linux-image.deb> <kselftest-install-dir> <outdir>}
kst=${2:?usage: vm-rootfs.sh <linux-image.deb> <kselftest-install-dir> <outdir>}
out=${3:?usage: vm-rootfs.sh <linux-image.deb> <kselftest-install-dir> <outdir>}
[ "$(id -u)" = 0 ] || die "building the root filesystem needs root (chroot)"
[ -f "$deb" ] || die "no kernel package $deb (make deb DEB_CONFIG=vm)"
[ -x "$kst/run_kselftest.sh" ] || die "no installed kselftests in $kst"
# The machine's own mirrors (lib.sh), as for the base; VM_MIRROR and
# VM_SECURITY override them.
if [ -z "${VM_MIRROR:-}" ] || [ -z "${VM_SECURITY:-}" ]; then
	read -r m s < <(debian_mirrors) || true
	[ -n "${m:-}" ] || die "no Debian mirror found in the apt sources: set VM_MIRROR and VM_SECURITY"
	VM_MIRROR=${VM_MIRROR:-$m}
	VM_SECURITY=${VM_SECURITY:-$s}
fi
VM_DISK_SIZE=${VM_DISK_SIZE:-3G}

# What the guest needs beyond minbase: systemd as init, udev for the
# block devices, kmod for zram, initramfs-tools for the kernel's postinst,
# e2fsprogs for the ext2 scratch filesystem, procps and sudo for the
# selftests (run_vmtests runs on-fault-limit as "sudo -u nobody").
pkgs=systemd-sysv,udev,kmod,initramfs-tools,e2fsprogs,procps,sudo
key=$(printf '%s\n' bullseye "$pkgs" "$VM_MIRROR" "$VM_SECURITY" | sha256sum | cut -c1-12)
tarball=$CACHE/vm/bullseye-$key.tar
mkdir -p "$CACHE/vm" "$out"
if [ ! -s "$tarball" ]; then
	msg "mmdebstrap: Debian 11 (bullseye) from $VM_MIRROR, once (cached as $tarball)"
	(mmdebstrap --mode=root --variant=minbase --include="$pkgs" bullseye "${tarball%.tar}.part.tar" \
		"deb $VM_MIRROR bullseye main" "deb $VM_SECURITY bullseye-security main" \
		> "$out/mmdebstrap.log" 2>&1) &
	heartbeat $! 30 "mmdebstrap"
	wait $! || { tail -n 20 "$out/mmdebstrap.log" >&2
		die "mmdebstrap failed (log: $out/mmdebstrap.log); is $VM_MIRROR reachable? Set VM_MIRROR to a Debian mirror that has bullseye"; }
	mv "${tarball%.tar}.part.tar" "$tarball"
fi

root=$out/root
rm -rf "$root"
mkdir -p "$root"
msg "root filesystem: the bullseye tarball, the kernel package, the kselftests"
tar -C "$root" -xf "$tarball"
cp "$deb" "$root/tmp/"
# dpkg's maintainer scripts want /proc, /sys and /dev: mount them in a
# private mount namespace, so that nothing stays mounted on failure.
# shellcheck disable=SC2016 # $1 and $2 are the inner bash's arguments
unshare -m bash -c '
	set -e
	root=$1
	mount -t proc proc "$root/proc"
	mount -t sysfs sys "$root/sys"
	mount --bind /dev "$root/dev"
	chroot "$root" dpkg -i "/tmp/$(basename "$2")"
' - "$root" "$deb" > "$out/dpkg.log" 2>&1 ||
	{ tail -n 20 "$out/dpkg.log" >&2; die "dpkg -i $(basename "$deb") failed in the guest root (log: $out/dpkg.log)"; }
rm -f "$root/tmp/$(basename "$deb")"
pkg=$(dpkg-deb -f "$deb" Package)
kver=${pkg#linux-image-}
{ [ -f "$root/boot/vmlinuz-$kver" ] && [ -f "$root/boot/initrd.img-$kver" ]; } ||
	die "the package left no /boot/vmlinuz-$kver and initrd.img-$kver"
cp "$root/boot/vmlinuz-$kver" "$out/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$out/initrd.img"

mkdir -p "$root/opt"
cp -a "$kst" "$root/opt/kselftests"
cp "$TOP/guest/debian-vm.list" "$root/opt/kselftests/debian-vm.list"
install -m 755 "$TOP/guest/vm-run" "$root/usr/local/sbin/vm-run"
cat > "$root/etc/systemd/system/vm-run.service" <<'EOF'
[Unit]
Description=Run the kselftests of the COW/GUP series and power off
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/vm-run
StandardOutput=journal+console
[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/vm-run.service \
	"$root/etc/systemd/system/multi-user.target.wants/vm-run.service"
echo "/dev/vda / ext4 defaults 0 1" > "$root/etc/fstab"
echo cow510-vm > "$root/etc/hostname"

rm -f "$out/disk.img"
truncate -s "$VM_DISK_SIZE" "$out/disk.img"
mkfs.ext4 -q -F -L root -d "$root" "$out/disk.img" ||
	die "mkfs.ext4 -d could not build the disk image"
msg "disk image: $out/disk.img ($(du -sh "$root" | cut -f1) used), kernel $kver"
