# shellcheck shell=bash
# Shared by scripts/nicup, scripts/test and scripts/bench: locate the repository and a JDK >= 25.
# Exit code 10 ("environment") when no suitable JDK exists, as documented in README.md.

NICUP_REPO="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
NICUP_MIN_JDK=25

# Prints the feature version (25, 21, 17...) of the JDK at $1, or nothing when it is not a JDK.
nicup_jdk_version() {
    local home="$1" v
    [ -x "$home/bin/java" ] || return 0
    if [ -r "$home/release" ]; then
        v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
    fi
    if [ -z "${v:-}" ]; then
        v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
            sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
    fi
    printf '%s' "${v:-}"
}

# Sets JAVA_HOME to a JDK >= 25: $JAVA_HOME first, then the newest under /usr/lib/jvm.
nicup_find_jdk() {
    local candidate v best="" best_v=0
    if [ -n "${JAVA_HOME:-}" ]; then
        v=$(nicup_jdk_version "$JAVA_HOME")
        if [ -n "$v" ] && [ "$v" -ge "$NICUP_MIN_JDK" ]; then
            export JAVA_HOME
            return 0
        fi
    fi
    for candidate in /usr/lib/jvm/*; do
        [ -d "$candidate" ] || continue
        v=$(nicup_jdk_version "$candidate")
        if [ -n "$v" ] && [ "$v" -ge "$NICUP_MIN_JDK" ] && [ "$v" -gt "$best_v" ]; then
            best="$candidate"
            best_v="$v"
        fi
    done
    if [ -z "$best" ]; then
        echo "nicup: no JDK ${NICUP_MIN_JDK} or newer found (JAVA_HOME=${JAVA_HOME:-unset}, none under /usr/lib/jvm): install one (e.g. Temurin 25) and set JAVA_HOME to it" >&2
        exit 10
    fi
    export JAVA_HOME="$best"
}

# The JVM options every CLI run gets (the launcher's and the AOT training run's alike):
# - native access for the java.lang.foreign calls (VFIO ioctls, mmap);
# - C2's inlining depth raised from 15 to 25: the data path's segment accesses sit 10 to 11 of the
#   product's calls deep inside the compiled method of an NDIS call, and the JDK adds 7 more frames of its
#   own before a small accessor (maxAlignMask) that the default limit leaves as an out-of-line virtual
#   call on every descriptor access and doorbell (docs/ndis-contract.md §19.7).
NICUP_JVM_OPTIONS="--enable-native-access=ALL-UNNAMED -XX:MaxInlineLevel=25"

# The CLI's AOT cache (JDK 25, JEP 483 and JEP 514: -XX:AOTCacheOutput, -XX:AOTCache): the classes a run
# loads, read, parsed and linked ahead of time next to the jar, so that each command starts in about half
# the time (measured in the QEMU guests, where a JVM start costs seconds: docs/architecture.md "Launcher").
# One training run on the simulated 82574L builds it; a newer jar makes it stale and the next writable run
# builds it again. The JVM checks the jar's path, size and time itself and ignores a cache that does not
# match (its messages are turned off: they would go to stdout), so a stale cache only costs the speed-up.
NICUP_AOT="$NICUP_REPO/cli/target/nicup.aot"

# Builds $NICUP_AOT for jar $1 when it is missing or older than the jar and cli/target is writable.
nicup_aot_prepare() {
    local jar="$1" tmp
    [ -f "$jar" ] || return 0
    if [ -f "$NICUP_AOT" ] && [ ! "$jar" -nt "$NICUP_AOT" ]; then
        return 0
    fi
    [ -w "$(dirname "$NICUP_AOT")" ] || return 0
    tmp="$NICUP_AOT.$$.tmp"
    # shellcheck disable=SC2086  # the options are words by design
    if "$JAVA_HOME/bin/java" $NICUP_JVM_OPTIONS -XX:AOTCacheOutput="$tmp" \
        -jar "$jar" bringup mock:82574L >/dev/null 2>&1 && [ -s "$tmp" ]; then
        mv -f "$tmp" "$NICUP_AOT"
    fi
    rm -f "$tmp" "$tmp.config"
}

# Prints the JVM options that use $NICUP_AOT for jar $1, or nothing when there is no fresh cache.
nicup_aot_options() {
    local jar="$1"
    if [ -f "$NICUP_AOT" ] && [ ! "$jar" -nt "$NICUP_AOT" ]; then
        printf '%s' "-XX:AOTCache=$NICUP_AOT -Xlog:aot*=off,cds*=off,class+path=off"
    fi
}
