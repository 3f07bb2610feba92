#!/usr/bin/env bash
# Guest side of CliHilTest: drives scripts/nicup inside the QEMU guest (run-guest --nic e1000e --nic e1000e
# --tap 1 --root-port 0) as a user would, one command per check. Each check writes
# $NICUP_RESULTS/check-NAME.out (stdout and stderr) and check-NAME.rc. The host test injects frames while
# `recv` runs and reads the filter-dump pcap. NIC 1, on a tap with virtio-net headers, runs intel-tap.sh
# (large-send, checksum-offload and one 64 KB send through the host's reflector) while it has no driver.
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${NICUP_HIL_NIC0_BDF:?}
export NICUP_STATE_DIR=/run/nicup
N="$REPO/scripts/nicup"

. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

check list "$N" list
check bind "$N" bind "$NIC"
check info "$N" info "$NIC"
check bringup "$N" bringup "$NIC" --trace "$R/trace.jsonl"
check selftest "$N" selftest "$NIC"
check regs "$N" regs "$NIC"
check stats "$N" stats "$NIC"
check loopback "$N" loopback "$NIC" --count 32
check nvm "$N" nvm "$NIC"
check identify "$N" identify "$NIC" --seconds 1
check conformance "$N" conformance "$NIC" --only timed-rules,oid-buffers,oid-robustness,send-shapes,pause-restart,reset --junit "$R/conformance.xml"
# The checks that need a link partner: the host test reflects every frame between ready-peer and
# check-conformance-peer.rc and answers set-link.sh's requests with QEMU's set_link (run-guest --qmp).
touch "$R/ready-peer"
# nicup rss through the same reflector: QEMU's e1000e spreads the flows over the two queues RETA's bit 7 names
check rss "$N" rss "$NIC" --peer reflect --flows 64
check conformance-peer "$N" conformance "$NIC" --only packet-filters,priority,link,checksum-offload,rss --peer reflect --link-command "$REPO/cli/src/test/hil/set-link.sh" --junit "$R/conformance-peer.xml"
check send-gen "$N" send "$NIC" --count 10 --size 128 --dst 02:00:00:00:00:01
check send-pcap "$N" send "$NIC" --pcap "$REPO/cli/target/hil-tx.pcap"
touch "$R/ready-recv"
check recv "$N" recv "$NIC" --pcap "$R/recv.pcap" --count 8 --timeout 240
# NIC 1 on the tap with virtio-net headers, before e1000e.ko (loaded for --bind below) takes it.
bash "$REPO/cli/src/test/hil/intel-tap.sh"

# Runs "$@" in the background into check-NAME.out, waits (deadline) for TEXT in it, sends SIGNAL, and
# records the exit code. scripts/nicup execs java, so $! is the JVM.
signal_when() {
    local name=$1 text=$2 signal=$3
    shift 3
    "$@" <&7 >"$R/check-$name.out" 2>&1 &
    local pid=$! deadline=$((SECONDS + 300))
    until grep -q "$text" "$R/check-$name.out" 2>/dev/null || ((SECONDS > deadline)) || ! kill -0 $pid 2>/dev/null; do
        sleep 0.5
    done
    kill "-$signal" $pid 2>/dev/null
    wait $pid
    echo $? >"$R/check-$name.rc"
    echo "check $name rc=$(cat "$R/check-$name.rc")"
}

# Standard input for the signalled runs: a FIFO held open here, so a --pause-after pause never sees the
# end of input (which would mean "go on") before the signal.
mkfifo /run/nicup-stdin.fifo
exec 7<>/run/nicup-stdin.fifo
# SIGKILL while Running (lock held, DMA mapped, bus master on): the next run succeeds at once, list is true.
signal_when hold-kill "Running: press Ctrl-C" KILL "$N" bringup "$NIC" --hold
check after-kill "$N" bringup "$NIC" --trace "$R/trace-after-kill.jsonl"
check list-after-kill "$N" list
# SIGKILL part-way through MiniportInitializeEx: DMA mapped and MSI-X vectors armed, the rings not yet
# programmed. Same expectations.
signal_when init-kill "paused after NdisMRegisterInterruptEx" KILL "$N" bringup "$NIC" --pause-after NdisMRegisterInterruptEx
check after-init-kill "$N" bringup "$NIC" --trace "$R/trace-after-init-kill.jsonl"
check list-after-init-kill "$N" list
# SIGTERM during traffic: orderly teardown, the summary, exit 130.
signal_when recv-term "Ctrl-C stops" TERM "$N" recv "$NIC" --pcap "$R/term.pcap" --timeout 600
# The soak: 30 bring-up/halt cycles of the same adapter in one process, open fds steady (the fds are
# compared over 27 of them; each cycle arms and disarms MSI-X through the emulated VT-d, the step most
# exposed to the TCG hang run-guest watches for, so the soak is kept short here).
check cycles "$N" bringup "$NIC" --cycles 30
# Least privilege: the group node handed to nobody, who brings the NIC up and moves traffic.
check bind-user "$N" bind --user nobody "$NIC"
mkdir -p /run/nicup-nobody && chmod 777 /run/nicup-nobody
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups env NICUP_STATE_DIR=/run/nicup-nobody HOME=/run/nicup-nobody)
check nonroot-bringup "${AS_NOBODY[@]}" "$N" bringup "$NIC"
check nonroot-loopback "${AS_NOBODY[@]}" "$N" loopback "$NIC" --count 16
check nonroot-send "${AS_NOBODY[@]}" "$N" send "$NIC" --count 5 --size 100 --dst 02:00:00:00:00:03
check json-bringup "$N" --json bringup "$NIC"
GROUP_NODE=/dev/vfio/$(basename "$(readlink "/sys/bus/pci/devices/$NIC/iommu_group")")
stat -c '%u' "$GROUP_NODE" >"$R/node-owner-before.txt" 2>&1
check unbind "$N" unbind --restore "$NIC"
check list-after "$N" --json list
# --bind: the NIC on its own kernel driver goes to vfio-pci for one run and back afterwards, also when
# the run ends by SIGTERM. The guest starts its NICs unbound: load e1000e and wait (deadline) for it.
driver_of() {
    local d
    d=$(readlink "/sys/bus/pci/devices/$NIC/driver") && basename "$d" || echo none
}
/run/nicup-hil/modprobe e1000e >"$R/modprobe-e1000e.out" 2>&1
deadline=$((SECONDS + 180))
until [ "$(driver_of)" = e1000e ] || ((SECONDS > deadline)); do
    sleep 0.5
done
driver_of >"$R/driver-before-bind-run.txt"
check bind-run "$N" bringup "$NIC" --bind
driver_of >"$R/driver-after-bind-run.txt"
signal_when bind-run-term "Ctrl-C stops" TERM "$N" recv "$NIC" --bind --pcap "$R/bind-term.pcap" --timeout 600
driver_of >"$R/driver-after-bind-run-term.txt"
check list-final "$N" list
# The very last step, as the NIC is gone afterwards (run-guest --root-port 0 gives it a hotplug slot):
# bound again, sends in flight, hot-unplugged.
bash "$REPO/cli/src/test/hil/surprise-removal.sh" "$NIC" nic0
exit 0
