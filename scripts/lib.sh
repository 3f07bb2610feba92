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
