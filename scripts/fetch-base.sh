#!/bin/bash
# Fetch the pinned base (Debian's linux-source-5.10 .deb), verify its
# checksum and import the source into a git repository with the base as a
# single commit tagged "base".  Idempotent: nothing is redone when the
# cache already holds the imported base.
. "$(dirname "$0")/lib.sh"

deb=$CACHE/${BASE_PKG}_${BASE_VERSION}_all.deb

if [ -f "$BASE_REPO/.cow-imported" ]; then
	exit 0
fi
mkdir -p "$CACHE"

# The machine's own Debian mirrors (lib.sh), switched to bullseye, through
# a private source list: the system's apt configuration is left untouched.
if [ ! -f "$deb" ] || ! echo "$BASE_SHA256  $deb" | sha256sum -c --status; then
	read -r main sec < <(debian_mirrors)
	apt_dir=$CACHE/apt
	mkdir -p "$apt_dir/lists/partial"
	# The host's architecture only: one that make deps ARCH=... enabled
	# may be missing from bullseye-security, and the package is "all".
	arch=$(dpkg --print-architecture)
	cat > "$apt_dir/sources.list" <<EOL
deb [arch=$arch] $main bullseye main
deb [arch=$arch] $sec bullseye-security main
EOL
	aopt=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	      -o Dir::Etc::SourceParts=/dev/null
	      -o "Dir::State::Lists=$apt_dir/lists"
	      -o Debug::NoLocking=1)
	msg "fetching package lists for bullseye and bullseye-security"
	# apt-get update exits 0 when a mirror is unreachable: check its log.
	if ! apt-get "${aopt[@]}" -q update >"$apt_dir/update.log" 2>&1 ||
	   grep -qE '^(Err:|E:|W: Failed to fetch)' "$apt_dir/update.log"; then
		tail -n 5 "$apt_dir/update.log" >&2
		die "cannot fetch bullseye package lists from $main and $sec (network down or mirror unreachable?). See $apt_dir/update.log"
	fi
	avail=$(apt-cache "${aopt[@]}" madison "$BASE_PKG" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | sort -uV | tr '\n' ' ')
	case " $avail " in
	*" $BASE_VERSION "*) ;;
	*) die "$BASE_PKG $BASE_VERSION is not in the archive (any more).
  Available versions: ${avail:-none}
  Pick one with BASE_VERSION=<version> BASE_SHA256=<sha256 of its .deb> (make BASE_VERSION=...)." ;;
	esac
	msg "downloading $BASE_PKG $BASE_VERSION (about 120 MB)"
	rm -f "$deb"
	(cd "$CACHE" && apt-get "${aopt[@]}" -q download "$BASE_PKG=$BASE_VERSION" 2>&1 |
		grep -v 'unsandboxed' >&2) ||
		die "download of $BASE_PKG $BASE_VERSION failed (network?)"
	got=$(sha256sum "$deb" | cut -d' ' -f1)
	if [ "$got" != "$BASE_SHA256" ]; then
		mv "$deb" "$deb.bad"
		die "checksum mismatch for $deb: expected $BASE_SHA256, got $got (kept as $deb.bad).
  If you changed BASE_VERSION, set BASE_SHA256 to the checksum of that .deb."
	fi
fi

msg "importing the base into $BASE_REPO (once; about a minute)"
tmp=$BASE_REPO.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
(
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-5.10.tar.xz |
		tar -xJ -C "$tmp" --strip-components=1
	cd "$tmp" || die "cannot enter $tmp"
	# Debian's tarball ends .gitignore with "/*" and "!/debian/", which
	# hides every file from git.  Drop those two lines so that files a
	# patch adds are seen; no patch of the series touches this file.
	sed -i -e '/^\/\*$/d' -e '/^!\/debian\/$/d' .gitignore
	git init -q
	git config user.name "Debian base"
	git config user.email "base@invalid"
	git config gc.auto 0
	# -f: the tarball ships files that other .gitignore rules match.
	git add -A -f .
	GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
		git commit -q -m "Debian $BASE_PKG $BASE_VERSION"
	git tag base
) &
pid=$!
heartbeat $pid 20 "extracting and committing 70,000 files"
wait $pid || die "import of the base failed"
touch "$tmp/.cow-imported"
rm -rf "$BASE_REPO"
mv "$tmp" "$BASE_REPO"
msg "base imported: $(git -C "$BASE_REPO" rev-parse --short base)"
