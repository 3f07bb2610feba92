#!/usr/bin/env bash
# Guest side of scripts/bench-guest-tx: inside a run-guest guest (--nic e1000e --modules e1000e), sends
# COUNT 60-byte frames on NIC 0 with each generator, ROUNDS times, the generators interleaved:
#   1. Linux's e1000e + pktgen, burst 1       (destination MAC 02:00:00:00:RR:01)
#   2. Linux's e1000e + pktgen, burst 32      (02:00:00:00:RR:02)
#   3. the NIC on vfio-pci, `nicup send`      (02:00:00:00:RR:03), then `nicup unbind --restore` (e1000e)
# RR is the round in hex. The host counts the frames per destination MAC (TxSink). Each run appends one
# line to $NICUP_RESULTS/runs.tsv: round, variant, destination, exit code, wall-clock seconds around the
# run (guest clock), and the generator's own result line (pktgen's Result, nicup's summary).
# Usage: guest-side.sh COUNT ROUNDS PKTGEN_KO
# Exit: 0 every run done; 1 a step failed (the log says which; runs.tsv has what was measured).
set -euo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NIC=${NICUP_HIL_NIC0_BDF:?}
COUNT=$1 ROUNDS=$2 PKTGEN_KO=$3
export NICUP_STATE_DIR=/run/nicup
N="$REPO/scripts/nicup"
DEV=/sys/bus/pci/devices/$NIC
PG=/proc/net/pktgen
BB=/run/nicup-hil/busybox

say() { echo "guest-tx: $*"; }
die() { echo "guest-tx: $*" >&2; exit 1; }

# now: the guest's clock in seconds with microseconds.
now() { echo "${EPOCHREALTIME}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# pgset FILE CMD: one pktgen command; pktgen answers in FILE's "Result:" line.
pgset() {
    echo "$2" >"$1" || die "pktgen: '$2' > $1 failed"
    if [ "$1" != "$PG/pgctrl" ] && ! grep -q "Result: OK" "$1"; then
        die "pktgen: '$2' refused: $(grep Result "$1")"
    fi
}

# The interface e1000e registered for the NIC, once it is there and has carrier (deadline 60 s).
iface_up() {
    local ifc="" i
    for i in $(seq 1 600); do
        ifc=$(ls "$DEV/net" 2>/dev/null | head -n 1)
        [ -n "$ifc" ] && break
        sleep 0.1
    done
    [ -n "$ifc" ] || die "no interface for $NIC (driver: $(basename "$(readlink "$DEV/driver" 2>/dev/null)" 2>/dev/null))"
    # No IPv6 link-local address: no router solicitations in the count, nothing for `bind` to refuse.
    [ -w "/proc/sys/net/ipv6/conf/$ifc/disable_ipv6" ] && echo 1 >"/proc/sys/net/ipv6/conf/$ifc/disable_ipv6"
    ip link set "$ifc" up || die "ip link set $ifc up failed"
    for i in $(seq 1 600); do
        [ "$(cat "/sys/class/net/$ifc/carrier" 2>/dev/null)" = 1 ] && { echo "$ifc"; return 0; }
        sleep 0.1
    done
    die "$ifc: no carrier within 60 s"
}

record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$R/runs.tsv"; }

[ -d "$PG" ] || $BB insmod "$PKTGEN_KO" || die "cannot load pktgen from $PKTGEN_KO"
[ -d "$PG" ] || die "no $PG after loading pktgen"
printf 'round\tvariant\tdst\trc\twall_s\tresult\n' >"$R/runs.tsv"
say "waiting for the host's frame counter"
for _ in $(seq 1 1200); do [ -e "$R/sink-ready" ] && break; sleep 0.1; done
[ -e "$R/sink-ready" ] || die "the host's frame counter never became ready ($R/sink-ready)"

for round in $(seq 1 "$ROUNDS"); do
    rr=$(printf '%02x' "$round")
    [ "$(basename "$(readlink "$DEV/driver" 2>/dev/null)" 2>/dev/null)" = e1000e ] ||
        die "round $round: $NIC is not on e1000e"
    IF=$(iface_up)
    say "round $round: e1000e on $IF"
    pgset "$PG/kpktgend_0" "rem_device_all"
    pgset "$PG/kpktgend_0" "add_device $IF"
    for burst in 1 32; do
        v=$([ "$burst" = 1 ] && echo 01 || echo 02)
        dst=02:00:00:00:$rr:$v
        pgset "$PG/$IF" "count $COUNT"
        pgset "$PG/$IF" "clone_skb $COUNT"
        pgset "$PG/$IF" "pkt_size 60"
        pgset "$PG/$IF" "delay 0"
        pgset "$PG/$IF" "dst 198.18.0.2"
        pgset "$PG/$IF" "dst_mac $dst"
        pgset "$PG/$IF" "burst $burst"
        t0=$(now)
        rc=0
        # pgctrl's start returns when the count is sent; a signal stops a run that hangs.
        timeout 300 bash -c "echo start >$PG/pgctrl" || rc=$?
        t1=$(now)
        result=$(grep -A1 '^Result:' "$PG/$IF" | tr -s ' \n' ' ')
        record "$round" "pktgen-burst$burst" "$dst" "$rc" "$(elapsed "$t0" "$t1")" "$result"
        say "round $round pktgen burst $burst: rc=$rc $result"
    done
    pgset "$PG/kpktgend_0" "rem_device_all"
    ip link set "$IF" down
    # --force: the interface is this benchmark's own, brought up above without an address.
    "$N" --quiet bind --force "$NIC" >"$R/bind-$round.log" 2>&1 || die "round $round: nicup bind failed: $(tail -1 "$R/bind-$round.log")"
    dst=02:00:00:00:$rr:03
    t0=$(now)
    rc=0
    "$N" send "$NIC" --count "$COUNT" --size 60 --dst "$dst" >"$R/send-$round.log" 2>&1 || rc=$?
    t1=$(now)
    result=$(grep -m1 '^sent ' "$R/send-$round.log" || tail -1 "$R/send-$round.log")
    record "$round" "nicup-send" "$dst" "$rc" "$(elapsed "$t0" "$t1")" "$result"
    say "round $round nicup send: rc=$rc $result"
    "$N" --quiet unbind --restore "$NIC" >"$R/unbind-$round.log" 2>&1 ||
        die "round $round: nicup unbind --restore failed: $(tail -1 "$R/unbind-$round.log")"
done
say "done"
