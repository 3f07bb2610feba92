package io.nicup.mock.virtio;

import java.util.Arrays;

/**
 * The receive filter the control queue programs (QEMU {@code receive_filter}, without VLAN filtering):
 * promiscuous after reset until the driver turns it off, then the device's own MAC and the MAC table's
 * unicast entries, broadcast, and multicast when allmulti is on or the address is in the table.
 */
final class VirtioRxFilter {

    private final byte[] mac;
    boolean promisc = true;
    boolean allmulti;
    /** The MAC table's unicast and multicast entries, 6 bytes each. */
    byte[] unicast = new byte[0];
    byte[] multicast = new byte[0];

    VirtioRxFilter(byte[] mac) {
        this.mac = mac;
    }

    /** Device reset: promiscuous, no table. */
    void reset() {
        promisc = true;
        allmulti = false;
        unicast = new byte[0];
        multicast = new byte[0];
    }

    boolean accept(byte[] f) {
        if (promisc) {
            return true;
        }
        boolean isMulticast = (f[0] & 1) != 0;
        if (isMulticast) {
            boolean broadcast = true;
            for (int i = 0; i < 6; i++) {
                broadcast &= f[i] == (byte) 0xFF;
            }
            if (broadcast || allmulti) {
                return true;
            }
            return inTable(multicast, f);
        }
        return Arrays.equals(f, 0, 6, mac, 0, 6) || inTable(unicast, f);
    }

    private static boolean inTable(byte[] table, byte[] f) {
        for (int m = 0; m + 6 <= table.length; m += 6) {
            if (Arrays.equals(table, m, m + 6, f, 0, 6)) {
                return true;
            }
        }
        return false;
    }
}
