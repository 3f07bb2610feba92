package io.nicup.vfio.linux;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the state of kernel network interfaces from sysfs and procfs only (no {@code ip} command, no
 * netlink). IPv4 addresses are not listed per interface anywhere in procfs: the local addresses come
 * from {@code /proc/net/fib_trie} ("/32 host LOCAL" leaves) and are attributed to the interface whose
 * link route (gateway 0) in {@code /proc/net/route} contains them.
 */
public final class NetInterfaces {

    /** {@code IFF_UP} (linux/if.h). */
    public static final long IFF_UP = 0x1;

    private final Sysfs sysfs;
    private final Procfs procfs;

    public NetInterfaces(Sysfs sysfs, Procfs procfs) {
        this.sysfs = sysfs;
        this.procfs = procfs;
    }

    public NetInterfaceState inspect(String iface) {
        String operstate = sysfs.netOperstate(iface).orElse("unknown");
        boolean up = (sysfs.netFlags(iface).orElse(0) & IFF_UP) != 0 || operstate.equals("up");
        List<Route> routes = routes();
        int routeCount = 0;
        for (Route r : routes) {
            if (r.iface().equals(iface)) {
                routeCount++;
            }
        }
        List<String> v4 = new ArrayList<>();
        for (int addr : localIpv4Addresses()) {
            for (Route r : routes) {
                if (r.iface().equals(iface) && r.gateway() == 0 && r.mask() != 0 && (addr & r.mask()) == r.destination()) {
                    v4.add(ipv4(addr));
                    break;
                }
            }
        }
        return new NetInterfaceState(iface, up, operstate, v4, ipv6Addresses(iface), routeCount);
    }

    /** A line of {@code /proc/net/route}, addresses as host-order ints. */
    record Route(String iface, int destination, int gateway, int mask) {
    }

    /**
     * {@code /proc/net/route}: a header line, then {@code Iface Destination Gateway Flags RefCnt Use Metric
     * Mask ...} with the addresses as hex of the network-order bytes read as a little-endian int.
     */
    List<Route> routes() {
        List<Route> out = new ArrayList<>();
        List<String> lines = procfs.lines("net/route");
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                out.add(new Route(f[0], procRouteAddress(f[1]), procRouteAddress(f[2]), procRouteAddress(f[7])));
            } catch (NumberFormatException e) {
                continue;
            }
        }
        return out;
    }

    /** "010200C0" (bytes 01 02 00 C0 little-endian, i.e. 192.0.2.1) to the int 0xC0000201. */
    static int procRouteAddress(String hex) {
        return Integer.reverseBytes((int) Long.parseLong(hex, 16));
    }

    /** Local IPv4 addresses: the {@code /32 host LOCAL} leaves of {@code /proc/net/fib_trie}. */
    Set<Integer> localIpv4Addresses() {
        Set<Integer> out = new LinkedHashSet<>();
        String last = null;
        for (String line : procfs.lines("net/fib_trie")) {
            String t = line.trim();
            if (t.startsWith("|-- ")) {
                last = t.substring(4).trim();
            } else if (last != null && t.startsWith("/32 host LOCAL")) {
                Integer a = parseIpv4(last);
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /**
     * {@code /proc/net/if_inet6}: {@code address(32 hex) ifindex prefixlen scope flags name}; scope 0x20 is
     * link-local and 0x10 host (loopback): those are left out.
     */
    List<String> ipv6Addresses(String iface) {
        List<String> out = new ArrayList<>();
        for (String line : procfs.lines("net/if_inet6")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[5].equals(iface) || f[0].length() != 32) {
                continue;
            }
            int scope;
            try {
                scope = Integer.parseInt(f[3], 16);
            } catch (NumberFormatException e) {
                continue;
            }
            if (scope == 0x20 || scope == 0x10) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 32; i += 4) {
                if (i > 0) {
                    sb.append(':');
                }
                sb.append(f[0], i, i + 4);
            }
            out.add(sb.toString().toLowerCase(Locale.ROOT) + "/" + Integer.parseInt(f[2], 16));
        }
        return out;
    }

    static Integer parseIpv4(String s) {
        String[] p = s.split("\\.");
        if (p.length != 4) {
            return null;
        }
        int v = 0;
        for (String part : p) {
            int b;
            try {
                b = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                return null;
            }
            if (b < 0 || b > 255) {
                return null;
            }
            v = (v << 8) | b;
        }
        return v;
    }

    static String ipv4(int a) {
        return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }
}
