package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetInterfacesTest {

    @TempDir
    Path tmp;
    FakeMachine m;
    NetInterfaces net;

    static final String ROUTE = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
            + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
    static final String FIB = "Main:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 0.0.0.0\n        /0 universe UNICAST\n"
            + "     +-- 192.0.2.0/24 2 0 2\n        +-- 192.0.2.0/30 2 0 2\n           |-- 192.0.2.0\n"
            + "              /24 link UNICAST\n           |-- 192.0.2.2\n              /32 host LOCAL\n"
            + "        |-- 192.0.2.255\n           /32 link BROADCAST\n"
            + "     +-- 127.0.0.0/8 2 0 2\n           |-- 127.0.0.1\n              /32 host LOCAL\n";
    static final String INET6 = "fe8000000000000000fc00fffe000001 04 40 20 80     eth0\n"
            + "fd000000000000000000000000000002 04 40 00 82     eth0\n"
            + "00000000000000000000000000000001 01 80 10 80       lo\n"
            + "fe800000000000000000000000000009 05 40 20 80     eth1\n";

    @BeforeEach
    void setUp() {
        m = new FakeMachine(tmp);
        m.device("0000:00:02.0").net("eth0", 0x1003, "up");
        m.device("0000:00:03.0").net("eth1", 0x1003, "up");
        m.device("0000:00:04.0").net("eth2", 0x1002, "down");
        FakeMachine.write(m.proc.resolve("net/route"), ROUTE);
        FakeMachine.write(m.proc.resolve("net/fib_trie"), FIB);
        FakeMachine.write(m.proc.resolve("net/if_inet6"), INET6);
        net = new NetInterfaces(m.sysfs, m.procfs);
    }

    @Test
    void anInterfaceThatIsUpWithAddressesAndRoutesIsActive() {
        NetInterfaceState s = net.inspect("eth0");

        assertThat(s.up()).isTrue();
        assertThat(s.operstate()).isEqualTo("up");
        assertThat(s.ipv4Addresses()).containsExactly("192.0.2.2");
        assertThat(s.ipv6Addresses()).containsExactly("fd00:0000:0000:0000:0000:0000:0000:0002/64");
        assertThat(s.ipv4Routes()).isEqualTo(2);
        assertThat(s.active()).isTrue();
    }

    @Test
    void anInterfaceThatIsUpWithOnlyALinkLocalAddressIsNotActive() {
        NetInterfaceState s = net.inspect("eth1");
        assertThat(s.up()).isTrue();
        assertThat(s.ipv4Addresses()).isEmpty();
        assertThat(s.ipv6Addresses()).isEmpty();
        assertThat(s.active()).isFalse();
    }

    @Test
    void anInterfaceThatIsDownIsNotActiveEvenWithRoutes() {
        FakeMachine.write(m.proc.resolve("net/route"), ROUTE + "eth2\t000300C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
        NetInterfaceState s = net.inspect("eth2");
        assertThat(s.up()).isFalse();
        assertThat(s.ipv4Routes()).isEqualTo(1);
        assertThat(s.active()).isFalse();
    }

    @Test
    void routeAddressesAreReadAsLittleEndianHex() {
        assertThat(NetInterfaces.ipv4(NetInterfaces.procRouteAddress("010200C0"))).isEqualTo("192.0.2.1");
        assertThat(NetInterfaces.ipv4(NetInterfaces.procRouteAddress("00FFFFFF"))).isEqualTo("255.255.255.0");
        assertThat(NetInterfaces.parseIpv4("300.1.1.1")).isNull();
    }

    @Test
    void thisMachineCanBeInspectedWithoutErrors() {
        NetInterfaces real = new NetInterfaces(Sysfs.system(), Procfs.system());
        assertThat(real.inspect("lo").name()).isEqualTo("lo");
    }
}
