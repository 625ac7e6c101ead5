#!/bin/bash
# Print the root of ARCH's static libraries for the guest's binaries:
#   fetch-libs.sh <debian-arch>
# liburing-dev (cow, gup_stress, dio_fork) and libhugetlbfs-dev (5.10's
# hmm-tests) of that architecture, downloaded once with apt-get download
# and unpacked under $CACHE, like fetch-busybox.sh's busybox.  Not
# installed with multiarch: a mirror's foreign packages may lag the host's
# (s390x's libssl3 and linux-libc-dev on Debian 12), and multiarch wants
# the same version of every package installed for two architectures.
# The architecture must be enabled in dpkg (make deps ARCH=<arch>).
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: fetch-libs.sh <debian-arch>}
pkgs="liburing-dev:$arch libhugetlbfs-dev:$arch"
dir=$CACHE/libs-$arch
if [ ! -e "$dir/done" ]; then
	msg "fetching $pkgs"
	rm -rf "$dir"
	mkdir -p "$dir/root"
	# shellcheck disable=SC2086
	(cd "$dir" && apt-get -q download $pkgs >download.log 2>&1) || {
		tail -n 5 "$dir/download.log" >&2
		die "cannot download $pkgs (is $arch enabled in dpkg? make deps ARCH=<name>)"
	}
	for deb in "$dir"/*.deb; do
		dpkg-deb -x "$deb" "$dir/root" || die "cannot unpack $deb"
	done
	touch "$dir/done"
fi
echo "$dir/root"
