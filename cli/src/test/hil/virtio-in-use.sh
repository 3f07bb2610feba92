#!/usr/bin/env bash
# Guest side of VirtioNetHilTest's safety check, run by virtio-suite.sh after the rest (or alone:
# scripts/hil/run-guest --nic virtio-net -- bash cli/src/test/hil/virtio-in-use.sh).
# The NIC is given to the kernel's virtio_net, brought up with 192.0.2.1/24 as if it carried the
# session, and then:
#   check-in-use-list     nicup --json list: the interface is listed for the function
#   check-in-use-bind     nicup bind: refused with exit 6 (BUSY), one line naming the interface
#   check-in-use-after    the state afterwards: still on virtio-pci and virtio_net, up, with its address
#   check-in-use-force    nicup bind --force: taken (exit 0)
#   check-in-use-restore  nicup unbind --restore: back to virtio-pci
# and in-use-iface holds the interface's name. Each check-NAME.{out,rc} as in virtio-suite.sh.
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${NICUP_HIL_NIC0_BDF:?}
export NICUP_STATE_DIR=/run/nicup
N="$REPO/scripts/nicup"
DEV=/sys/bus/pci/devices/$NIC

. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

# state: what the kernel says about the function and its interface, one fact a line.
state() {
    echo "pci_driver=$(basename "$(readlink "$DEV/driver" 2>/dev/null)" 2>/dev/null)"
    for v in "$DEV"/virtio*; do
        [ -d "$v" ] && echo "virtio_driver=$(basename "$(readlink "$v/driver" 2>/dev/null)" 2>/dev/null)"
    done
    if [ -n "${IF:-}" ] && [ -d "/sys/class/net/$IF" ]; then
        echo "operstate=$(cat "/sys/class/net/$IF/operstate") flags=$(cat "/sys/class/net/$IF/flags")"
        ip -4 -o addr show dev "$IF"
    fi
}

# The kernel driver: virtio-pci (loaded for 9p) takes the function back, virtio_net the virtio device.
/run/nicup-hil/modprobe virtio_net >"$R/in-use-setup.log" 2>&1
echo "" >"$DEV/driver_override" 2>/dev/null
[ -e "$DEV/driver" ] || echo "$NIC" >/sys/bus/pci/drivers/virtio-pci/bind 2>>"$R/in-use-setup.log"
IF=
for _ in $(seq 1 300); do
    IF=$(ls "$DEV"/virtio*/net 2>/dev/null | head -n 1)
    [ -n "$IF" ] && break
    sleep 0.1
done
echo "$IF" >"$R/in-use-iface"
if [ -n "$IF" ]; then
    ip link set "$IF" up >>"$R/in-use-setup.log" 2>&1
    ip addr add 192.0.2.1/24 dev "$IF" >>"$R/in-use-setup.log" 2>&1
fi
state >>"$R/in-use-setup.log" 2>&1

check in-use-list "$N" --json list
check in-use-bind "$N" bind "$NIC"
check in-use-after state
check in-use-force "$N" bind --force "$NIC"
check in-use-restore "$N" unbind --restore "$NIC"
exit 0
