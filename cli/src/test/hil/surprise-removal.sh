#!/usr/bin/env bash
# The QEMU suites' last step (docs/ndis-contract.md §22), shared by cli-suite.sh (e1000e), igb-suite.sh and
# virtio-suite.sh: the NIC is gone afterwards. Usage: surprise-removal.sh BDF DEVICE_ID (run-guest's nicI; the
# NIC must sit behind a pcie-root-port: every igb, or run-guest --root-port I).
#   check-bind-removal      nicup bind BDF
#   check-surprise-removal  conformance --only surprise-removal with remove-device.sh as --remove-command:
#                           sends in flight, the host hot-unplugs the NIC with QEMU's device_del (run-guest
#                           "Removal protocol"; GuestRemover on the host, started by ready-remove), the kernel
#                           asks nicup for it back, nicup halts the adapter and releases it; removal.xml its JUnit
#   check-removal-sysfs     the function is gone from the guest's /sys/bus/pci/devices
# Each check-NAME.{out,rc} as in the suites.
set -uo pipefail
R=${NICUP_RESULTS:?run me through scripts/hil/run-guest}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
NIC=${1:?usage: surprise-removal.sh BDF DEVICE_ID}
export NICUP_REMOVE_ID=${2:?usage: surprise-removal.sh BDF DEVICE_ID}
export NICUP_STATE_DIR=${NICUP_STATE_DIR:-/run/nicup}
N="$REPO/scripts/nicup"

. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

check bind-removal "$N" bind "$NIC"
touch "$R/ready-remove"
check surprise-removal "$N" conformance "$NIC" --only surprise-removal --remove-command "$REPO/cli/src/test/hil/remove-device.sh" --junit "$R/removal.xml"
check removal-sysfs bash -c "if [[ -e /sys/bus/pci/devices/$NIC ]]; then echo \"$NIC still in sysfs\"; exit 1; fi; echo \"$NIC gone from /sys/bus/pci/devices\"; dmesg | grep -i -E 'vfio|pciehp|$NIC' | tail -n 20"
