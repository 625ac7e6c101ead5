#!/bin/bash
# A base version that is not in the archive fails clearly: it names the
# available versions and the variable that overrides the pin.
. "$(dirname "$0")/lib.sh"

env CACHE="$T/cache" BASE_VERSION=0.0.0-0 \
	bash "$TOP/scripts/fetch-base.sh" > "$T/out" 2>&1
ok "$([ $? -ne 0 ]; echo $?)" "an unknown version fails"
has "$T/out" 'linux-source-5.10 0.0.0-0 is not in the archive' "the error names the version"
has "$T/out" 'Available versions: .*5\.10\.' "the error lists the available versions"
has "$T/out" 'BASE_VERSION=' "the error names the override variable"

env CACHE="$T/cache" BASE_SHA256=0000000000000000000000000000000000000000000000000000000000000000 \
	bash "$TOP/scripts/fetch-base.sh" > "$T/out" 2>&1
ok "$([ $? -ne 0 ]; echo $?)" "a checksum mismatch fails"
has "$T/out" 'checksum mismatch' "the error says checksum mismatch"

printf 'deb http://127.0.0.1:9/debian bullseye main\n' > "$T/sources.list"
mkdir -p "$T/etc"
env CACHE="$T/cache2" APT_SOURCES="$T/sources.list" \
	bash "$TOP/scripts/fetch-base.sh" > "$T/out" 2>&1
ok "$([ $? -ne 0 ]; echo $?)" "an unreachable mirror fails"
has "$T/out" 'cannot fetch bullseye package lists' "the error says the lists cannot be fetched"
done_testing
