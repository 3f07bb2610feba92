package io.nicup.mock.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.intel.RssToeplitzTest;
import io.nicup.vfio.RegisterSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * virtio-net's RSS and hash report in the model (virtio 1.2 5.1.6.4.3, 5.1.6.5.7; docs/hardware-reference.md
 * C.10): the configuration commands as the spec and QEMU check them, and the hash of each frame on
 * Microsoft's verification vectors (docs/ndis-contract.md §10.3).
 */
class VirtioRssTest {

    private static final int ALL_BUT_EX = 0x3F;

    /** struct virtio_net_rss_config: hash_types, mask, unclassified_queue, table, max_tx_vq, key. */
    static byte[] rssConfig(int types, int[] table, int unclassified, int maxTxVq, byte[] key) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 * table.length + 3 + key.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(types).putShort((short) (table.length - 1)).putShort((short) unclassified);
        for (int q : table) {
            b.putShort((short) q);
        }
        b.putShort((short) maxTxVq).put((byte) key.length).put(key);
        return b.array();
    }

    /** struct virtio_net_hash_config: hash_types, reserved[4], key. */
    static byte[] hashConfig(int types, byte[] key) {
        ByteBuffer b = ByteBuffer.allocate(13 + key.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(types).putLong(0).put((byte) key.length).put(key);
        return b.array();
    }

    /** An Ethernet frame of the vector row: source and destination address and port, TCP or UDP. */
    static byte[] frame(Object[] row, int proto) {
        byte[] dst = RssToeplitzTest.address(row[0]);
        byte[] src = RssToeplitzTest.address(row[2]);
        boolean v6 = src.length == 16;
        ByteBuffer b = ByteBuffer.allocate(14 + (v6 ? 40 : 20) + 20);
        b.put(new byte[12]).putShort((short) (v6 ? 0x86DD : 0x0800));
        if (v6) {
            b.putInt(0x6000_0000).putShort((short) 20).put((byte) proto).put((byte) 64).put(src).put(dst);
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putInt(0).put((byte) 64).put((byte) proto)
                    .putShort((short) 0).put(src).put(dst);
        }
        b.putShort((short) (int) row[3]).putShort((short) (int) row[1]);
        return b.array();
    }

    private static int[] zeros(int n) {
        return new int[n];
    }

    @Test
    void everyVectorRowHashesAsMicrosoftDocumentsAndIsReportedWithItsType() {
        VirtioRss rss = new VirtioRss(1, VirtioRss.MAX_TABLE_LENGTH);
        byte[] cmd = rssConfig(ALL_BUT_EX, zeros(128), 0, 1, RssToeplitzTest.KEY);
        assertThat(rss.configure(cmd, 0, cmd.length, true)).isEqualTo(VirtioRss.OK);
        for (Object[] row : RssToeplitzTest.VECTORS) {
            boolean v6 = RssToeplitzTest.address(row[0]).length == 16;
            byte[] tcp = frame(row, 6);
            rss.classify(tcp, tcp.length);
            assertThat(rss.hash).as("TCP %s", row[0]).isEqualTo((int) row[5]);
            assertThat(rss.report).isEqualTo(v6 ? VirtioRss.REPORT_TCPV6 : VirtioRss.REPORT_TCPV4);
            byte[] udp = frame(row, 17);
            rss.classify(udp, udp.length);
            assertThat(rss.hash).as("UDP %s: the same four fields", row[0]).isEqualTo((int) row[5]);
            assertThat(rss.report).isEqualTo(v6 ? VirtioRss.REPORT_UDPV6 : VirtioRss.REPORT_UDPV4);
            assertThat(rss.queue).isZero();
        }
    }

    @Test
    void withoutTheTcpTypeATcpFrameHashesOnItsAddressesAndWithoutAnyTypeItIsUnclassified() {
        VirtioRss rss = new VirtioRss(1, VirtioRss.MAX_TABLE_LENGTH);
        byte[] cmd = hashConfig(VirtioRss.TYPE_IPV4, RssToeplitzTest.KEY);
        assertThat(rss.configure(cmd, 0, cmd.length, false)).isEqualTo(VirtioRss.OK);
        Object[] v4 = RssToeplitzTest.VECTORS[0];
        byte[] tcp = frame(v4, 6);
        rss.classify(tcp, tcp.length);
        assertThat(rss.hash).isEqualTo((int) v4[4]);
        assertThat(rss.report).isEqualTo(VirtioRss.REPORT_IPV4);
        byte[] v6 = frame(RssToeplitzTest.VECTORS[5], 6);
        rss.classify(v6, v6.length);
        assertThat(rss.report).isEqualTo(VirtioRss.REPORT_NONE);
        assertThat(rss.hash).isZero();
    }

    @Test
    void invalidConfigurationsAreRefusedAndLeaveRssOff() {
        VirtioRss rss = new VirtioRss(1, VirtioRss.MAX_TABLE_LENGTH);
        byte[] key = RssToeplitzTest.KEY;
        byte[][] refused = {
            rssConfig(ALL_BUT_EX, zeros(3), 0, 1, key),                       // not a power of two
            rssConfig(ALL_BUT_EX, zeros(256), 0, 1, key),                     // above rss_max_indirection_table_length
            rssConfig(ALL_BUT_EX, new int[] {0, 1}, 0, 1, key),               // names a queue the device lacks
            rssConfig(ALL_BUT_EX, zeros(4), 1, 1, key),                       // unclassified_queue beyond
            rssConfig(ALL_BUT_EX, zeros(4), 0, 0, key),                       // max_tx_vq 0
            rssConfig(ALL_BUT_EX, zeros(4), 0, 1, new byte[41]),              // above rss_max_key_size
            rssConfig(ALL_BUT_EX, zeros(4), 0, 1, new byte[0]),               // hash types without a key
            rssConfig(1 << 9, zeros(4), 0, 1, key),                           // a type not in supported_hash_types
        };
        for (byte[] cmd : refused) {
            byte[] good = rssConfig(ALL_BUT_EX, zeros(4), 0, 1, key);
            assertThat(rss.configure(good, 0, good.length, true)).isEqualTo(VirtioRss.OK);
            assertThat(rss.configure(cmd, 0, cmd.length, true)).isEqualTo(VirtioRss.ERR);
            assertThat(rss.enabled()).as("QEMU turns RSS off on a refused command").isFalse();
        }
        byte[] shortCmd = rssConfig(ALL_BUT_EX, zeros(4), 0, 1, key);
        assertThat(rss.configure(shortCmd, 0, shortCmd.length - 1, true)).isEqualTo(VirtioRss.ERR);
    }

    @Test
    void theConfigSpaceCarriesTheRssLimitsOnlyWhenOffered() {
        try (MockPciDevice plain = MockDevices.open("mock:virtio-net");
                MockPciDevice rss = MockDevices.open("mock:virtio-net?rss=on")) {
            RegisterSpace p = plain.bar(4);
            RegisterSpace r = rss.bar(4);
            p.write32(0, 1);
            r.write32(0, 1);
            assertThat(p.read32(4) & (1 << 25 | 1 << 28)).isZero();
            assertThat(r.read32(4) & (1 << 25 | 1 << 28)).as("HASH_REPORT 57, RSS 60").isEqualTo(1 << 25 | 1 << 28);
            assertThat(p.read8(0x2000 + 17)).isZero();
            assertThat(r.read8(0x2000 + 17)).as("rss_max_key_size").isEqualTo((byte) 40);
            assertThat(r.read16(0x2000 + 18)).as("rss_max_indirection_table_length").isEqualTo((short) 128);
            assertThat(r.read32(0x2000 + 20)).as("supported_hash_types").isEqualTo(0x1FF);
            assertThat(r.read16(0x2000 + 8)).as("max_virtqueue_pairs").isEqualTo((short) 1);
        }
    }
}
