#!/usr/bin/env bash
# The --remove-command of the QEMU suite (docs/ndis-contract.md §22): hot-unplugs the guest NIC
# NICUP_REMOVE_ID (default nic0, run-guest's device id). The guest cannot reach QEMU's monitor, so it
# asks the host test (scripts/hil/run-guest "Removal protocol"): it writes $NICUP_RESULTS/remove-request-N
# (the device id, renamed into place) and waits up to NICUP_REMOVE_TIMEOUT (default 30) seconds for
# remove-done-N, which the host writes once QEMU accepted device_del: "ok", or "error: ...". Exit 0 once
# the host said ok (the guest kernel then removes the device and asks nicup for it); else 1 with one line
# on stderr (nicup shows it).
set -uo pipefail
R=${NICUP_RESULTS:?run me in a run-guest guest}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
id=${NICUP_REMOVE_ID:-nic0}
n=1
while [[ -e $R/remove-request-$n ]]; do n=$((n + 1)); done
printf '%s\n' "$id" >"$R/.remove-request-$n.tmp" && mv "$R/.remove-request-$n.tmp" "$R/remove-request-$n"
if ! "$HERE/../../../../scripts/hil/wait-file" "$R" "remove-done-$n" "${NICUP_REMOVE_TIMEOUT:-30}" >/dev/null 2>"$R/.remove-wait-$n.err"; then
    echo "remove-device.sh: no answer from the host to remove-request-$n ($id): $(tail -n 1 "$R/.remove-wait-$n.err")" >&2
    exit 1
fi
answer=$(head -n 1 "$R/remove-done-$n")
if [[ $answer != ok ]]; then
    echo "remove-device.sh: the host could not unplug $id: $answer" >&2
    exit 1
fi
