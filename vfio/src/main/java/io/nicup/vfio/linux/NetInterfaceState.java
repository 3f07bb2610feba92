package io.nicup.vfio.linux;

import java.util.List;

/**
 * What the kernel network stack is doing with an interface, read from sysfs and procfs.
 *
 * @param up the IFF_UP flag ({@code /sys/class/net/IF/flags} bit 0x1) or operstate "up"
 * @param operstate {@code /sys/class/net/IF/operstate}
 * @param ipv4Addresses local IPv4 addresses attributed to the interface ({@code /proc/net/fib_trie} local
 *     entries matched to its link routes in {@code /proc/net/route})
 * @param ipv6Addresses IPv6 addresses other than link-local ({@code /proc/net/if_inet6})
 * @param ipv4Routes IPv4 routes through the interface ({@code /proc/net/route})
 */
public record NetInterfaceState(String name, boolean up, String operstate, List<String> ipv4Addresses,
        List<String> ipv6Addresses, int ipv4Routes) {

    public NetInterfaceState {
        ipv4Addresses = List.copyOf(ipv4Addresses);
        ipv6Addresses = List.copyOf(ipv6Addresses);
    }

    /**
     * In use by the host: up and carrying addresses or routes (dpdk-devbind calls such an interface
     * "Active" and refuses it without --force). Link-local IPv6 alone does not count.
     */
    public boolean active() {
        return up && (!ipv4Addresses.isEmpty() || !ipv6Addresses.isEmpty() || ipv4Routes > 0);
    }

    @Override
    public String toString() {
        return "interface=" + name + " up=" + up + " operstate=" + operstate + " ipv4=" + ipv4Addresses + " ipv6="
                + ipv6Addresses + " routes=" + ipv4Routes;
    }
}
