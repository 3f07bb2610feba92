#!/usr/bin/env bash
# The --link-command of the QEMU suite (docs/ndis-contract.md §18): `set-link.sh down|up` pulls or plugs
# the guest NIC's link. The guest cannot reach QEMU's monitor, so it asks the host test (scripts/hil/run-guest
# "Link protocol"): it writes $NICUP_RESULTS/link-request-N ("down" or "up", renamed into place) and waits
# up to NICUP_LINK_TIMEOUT (default 30) seconds for link-done-N, which the host writes after QEMU's set_link:
# "ok", or "error: ...". Exit 0 once the host said ok; else 1 with one line on stderr (nicup shows it).
set -uo pipefail
R=${NICUP_RESULTS:?run me in a run-guest guest}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case ${1:-} in
down | up) ;;
*)
    echo "set-link.sh: want down or up, got '${1:-}'" >&2
    exit 2
    ;;
esac
n=1
while [[ -e $R/link-request-$n ]]; do n=$((n + 1)); done
printf '%s\n' "$1" >"$R/.link-request-$n.tmp" && mv "$R/.link-request-$n.tmp" "$R/link-request-$n"
if ! "$HERE/../../../../scripts/hil/wait-file" "$R" "link-done-$n" "${NICUP_LINK_TIMEOUT:-30}" >/dev/null 2>"$R/.link-wait-$n.err"; then
    echo "set-link.sh: no answer from the host to link-request-$n ($1): $(tail -n 1 "$R/.link-wait-$n.err")" >&2
    exit 1
fi
answer=$(head -n 1 "$R/link-done-$n")
if [[ $answer != ok ]]; then
    echo "set-link.sh: the host could not set the link $1: $answer" >&2
    exit 1
fi
