#!/bin/bash
# Fetch the reference kernel of the benchmark, Debian 12's linux-source-6.12
# (bookworm-security, reachable through the system's own apt sources),
# verify its pinned SHA-256 and extract it once under $CACHE.  Prints the
# source directory.  Idempotent.
. "$(dirname "$0")/lib.sh"

REF_PKG=${REF_PKG:-linux-source-6.12}
REF_VERSION=${REF_VERSION:-6.12.117-1~deb12u1}
REF_SHA256=${REF_SHA256:-e849faf31ca3555757f3a8877cb01af92122f744f75d1f3102734651c4e14703}

# No "~" in the source path: make and Kbuild handle plain paths best.
src=$CACHE/$REF_PKG-${REF_VERSION//\~/-}
if [ -f "$src/.bench-extracted" ]; then
	echo "$src"
	exit 0
fi
mkdir -p "$CACHE"
deb=$CACHE/${REF_PKG}_${REF_VERSION//\~/%7e}_all.deb
alt=$CACHE/${REF_PKG}_${REF_VERSION}_all.deb
[ -f "$deb" ] || [ ! -f "$alt" ] || deb=$alt
if [ ! -f "$deb" ] || ! echo "$REF_SHA256  $deb" | sha256sum -c --status; then
	msg "downloading $REF_PKG $REF_VERSION (about 150 MB) with the system's apt sources"
	rm -f "$deb" "$alt"
	# { grep || true; }: with pipefail, a grep that prints nothing (apt-get
	# said nothing else) would otherwise fail a download that worked.
	(cd "$CACHE" && apt-get -q download "$REF_PKG=$REF_VERSION" 2>&1 | { grep -v unsandboxed >&2 || true; }) ||
		die "download of $REF_PKG $REF_VERSION failed; is bookworm-security in the apt sources (and 'apt-get update' run)?"
	# The .deb of this version, else the newest one downloaded.
	deb=''
	for f in "$CACHE/${REF_PKG}_"*_all.deb; do
		case $f in *"${REF_VERSION#*:}"*) deb=$f; break ;; esac
	done
	if [ -z "$deb" ]; then
		for f in "$CACHE/${REF_PKG}_"*_all.deb; do
			if [ -f "$f" ] && { [ -z "$deb" ] || [ "$f" -nt "$deb" ]; }; then deb=$f; fi
		done
	fi
	[ -n "$deb" ] || die "apt-get download left no ${REF_PKG}_*_all.deb in $CACHE"
	got=$(sha256sum "$deb" | cut -d' ' -f1)
	if [ "$got" != "$REF_SHA256" ]; then
		mv "$deb" "$deb.bad"
		die "checksum mismatch for $deb: expected $REF_SHA256, got $got (kept as $deb.bad).
  With another REF_VERSION, set REF_SHA256 to the checksum of its .deb."
	fi
fi

msg "extracting $REF_PKG into $src (once)"
rm -rf "$src.tmp"
mkdir -p "$src.tmp"
(dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$REF_PKG.tar.xz" |
	tar -xJ -C "$src.tmp" --strip-components=1) &
heartbeat $! 20 "extracting"
wait $! || die "extraction of $deb failed"
touch "$src.tmp/.bench-extracted"
rm -rf "$src"
mv "$src.tmp" "$src"
echo "$src"
