package io.nicup.mock.e82574;

import static io.nicup.mock.e82574.MiniDriver.LE32;
import static io.nicup.mock.e82574.MiniDriver.LE64;
import static io.nicup.mock.e82574.Regs.*;
import static io.nicup.mock.intel.RssFrames.ICMP;
import static io.nicup.mock.intel.RssFrames.TCP;
import static io.nicup.mock.intel.RssFrames.UDP;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.ChecksumOffload;
import io.nicup.mock.intel.RssFrames;
import io.nicup.mock.intel.RssToeplitzTest;
import io.nicup.vfio.DmaRegion;
import org.junit.jupiter.api.Test;

/**
 * Receive-side scaling on the behavioural 82574L (docs/hardware-reference.md B.18): with MRQC's enable,
 * RXCSUM.PCSD and extended descriptors, frames of Microsoft's verification flows are written back with the
 * documented hash and the MRQ type, TCP over IPv4 and IPv6 with ports and everything else (UDP too: the
 * 82574L has no UDP hash) on its addresses; RETA bit 7 names queue 0 or 1; without any of the three no hash
 * is reported, and without PCSD the IPv4 identification is.
 */
class RssTest {

    static final int COUNT = 8;
    static final int ALL_FIELDS = Mrqc.TCP_IPV4 | Mrqc.IPV4 | Mrqc.TCP_IPV6 | Mrqc.IPV6;
    static final int RCTL = MiniDriver.RCTL_DEFAULT | Rctl.UPE;

    /** One receive queue's ring and buffers, read as a driver would: {dword 0, dword 1, status_error} per frame. */
    static final class Queue {
        final Fixture f;
        final int q;
        final DmaRegion ring;
        final DmaRegion buffers;
        int next;

        Queue(Fixture f, int q) {
            this.f = f;
            this.q = q;
            ring = f.dev.dma().allocate("rss-ring-" + q, COUNT * 16, 128);
            buffers = f.dev.dma().allocate("rss-buffers-" + q, COUNT * 2048, 4096);
            for (int i = 0; i < COUNT; i++) {
                ring.segment().set(LE64, i * 16L, buffers.iova() + 2048L * i);
            }
            f.drv.write(rdbal(q), (int) ring.iova());
            f.drv.write(rdbah(q), (int) (ring.iova() >>> 32));
            f.drv.write(rdlen(q), COUNT * 16);
            f.drv.write(rdh(q), 0);
            f.drv.write(rdt(q), COUNT - 1);
        }

        int[] take() {
            long d = next * 16L;
            int status = ring.segment().get(LE32, d + RxDescriptor.EXT_STATUS_ERROR);
            if ((status & RxDescriptor.STA_DD) == 0) {
                return null;
            }
            int[] wb = {ring.segment().get(LE32, d), ring.segment().get(LE32, d + 4), status};
            ring.segment().set(LE64, d, buffers.iova() + 2048L * next);
            ring.segment().set(LE64, d + 8, 0L);
            f.drv.write(rdt(q), next);
            next = (next + 1) % COUNT;
            return wb;
        }
    }

    /** Both queues up, extended descriptors, the documented key, RETA entry i naming queue {@code i & 1}. */
    static Queue[] rss(Fixture f, int mrqc, int rxcsum) {
        f.up(8, 8, RCTL);
        f.drv.write(Regs.RCTL, 0);
        f.drv.write(RFCTL, RFCTL_EXTEN);
        Queue[] queues = {new Queue(f, 0), new Queue(f, 1)};
        for (int i = 0; i < 10; i++) {
            int k = 0;
            for (int j = 3; j >= 0; j--) {
                k = k << 8 | RssToeplitzTest.KEY[4 * i + j] & 0xFF;
            }
            f.drv.write(RSSRK0 + 4 * i, k);
        }
        for (int i = 0; i < 32; i++) {
            f.drv.write(RETA0 + 4 * i, 0x8000_8000);         // entries 4i+1 and 4i+3: bit 7, queue 1
        }
        f.drv.write(RXCSUM, rxcsum);
        f.drv.write(MRQC, mrqc);
        f.drv.write(Regs.RCTL, RCTL);
        return queues;
    }

    /** Injects {@code frame} and returns its write-back from the queue RETA names for {@code hash}; the other got nothing. */
    static int[] expectOn(Fixture f, Queue[] queues, byte[] frame, int hash) {
        f.dev.wire().inject(frame);
        int expected = hash & 1;
        int[] wb = queues[expected].take();
        assertThat(queues[1 - expected].take()).as("queue %d got a frame for queue %d", 1 - expected, expected).isNull();
        assertThat(wb).as("queue %d has the frame", expected).isNotNull();
        assertThat(wb[0] >>> RxDescriptor.MRQ_QUEUE_SHIFT).as("MRQ's queue").isEqualTo(expected);
        return wb;
    }

    static byte[] frame(Object[] row, int proto) {
        return RssFrames.frame(Fixture.MAC, Frames.PEER, row, proto);
    }

    @Test
    void everyVerificationFlowIsWrittenBackWithTheDocumentedHashAndType() {
        try (Fixture f = Fixture.open()) {
            Queue[] queues = rss(f, Mrqc.ENABLE_RSS | ALL_FIELDS, RXCSUM_PCSD);
            for (Object[] row : RssToeplitzTest.VECTORS) {
                boolean v6 = ((String) row[0]).contains(":");
                int[] tcp = expectOn(f, queues, frame(row, TCP), (int) row[5]);
                assertThat(tcp[1]).isEqualTo((int) row[5]);
                assertThat(tcp[0] & 0xF).isEqualTo(v6 ? RxDescriptor.RSS_TYPE_TCP_IPV6 : RxDescriptor.RSS_TYPE_TCP_IPV4);
                int addressType = v6 ? RxDescriptor.RSS_TYPE_IPV6 : RxDescriptor.RSS_TYPE_IPV4;
                int[] udp = expectOn(f, queues, frame(row, UDP), (int) row[4]);
                assertThat(udp[1]).as("no UDP hash: the addresses").isEqualTo((int) row[4]);
                assertThat(udp[0] & 0xF).isEqualTo(addressType);
                int[] other = expectOn(f, queues, frame(row, v6 ? 58 : ICMP), (int) row[4]);
                assertThat(other[1]).isEqualTo((int) row[4]);
                assertThat(other[0] & 0xF).isEqualTo(addressType);
                assertThat(other[2] & RxDescriptor.STA_IPIDV).as("PCSD: no IP identification").isZero();
            }
        }
    }

    @Test
    void aTcpFrameTakesTheAddressHashWhenOnlyTheIpFieldsAreEnabledAndIpv6ExHasItsOwnType() {
        try (Fixture f = Fixture.open()) {
            Queue[] queues = rss(f, Mrqc.ENABLE_RSS | Mrqc.IPV4 | Mrqc.IPV6_EX, RXCSUM_PCSD);
            Object[] v4 = RssToeplitzTest.VECTORS[1];
            int[] wb = expectOn(f, queues, frame(v4, TCP), (int) v4[4]);
            assertThat(wb[1]).isEqualTo((int) v4[4]);
            assertThat(wb[0] & 0xF).isEqualTo(RxDescriptor.RSS_TYPE_IPV4);
            Object[] v6 = RssToeplitzTest.VECTORS[6];
            wb = expectOn(f, queues, frame(v6, TCP), (int) v6[4]);
            assertThat(wb[1]).isEqualTo((int) v6[4]);
            assertThat(wb[0] & 0xF).isEqualTo(RxDescriptor.RSS_TYPE_IPV6_EX);
        }
    }

    @Test
    void withoutTheEnableOrPcsdEveryFrameStaysOnQueueZeroWithoutAHash() {
        for (int[] setting : new int[][] {{ALL_FIELDS, RXCSUM_PCSD}, {Mrqc.ENABLE_RSS | ALL_FIELDS, 0}}) {
            try (Fixture f = Fixture.open()) {
                Queue[] queues = rss(f, setting[0], setting[1]);
                for (Object[] row : RssToeplitzTest.VECTORS) {
                    f.dev.wire().inject(frame(row, TCP));
                    int[] wb = queues[0].take();
                    assertThat(wb).isNotNull();
                    assertThat(wb[0]).as("no MRQ").isZero();
                    assertThat(queues[1].take()).isNull();
                    if (setting[1] == 0 && !((String) row[0]).contains(":")) {
                        assertThat(wb[1]).as("the IP identification in place of the hash").isEqualTo(0x1234);
                        assertThat(wb[2] & RxDescriptor.STA_IPIDV).isNotZero();
                    } else {
                        assertThat(wb[1]).as("no hash").isZero();
                    }
                }
            }
        }
    }

    @Test
    void legacyDescriptorsCarryNoHashAndEverythingStaysOnQueueZero() {
        try (Fixture f = Fixture.open()) {
            Queue[] queues = rss(f, Mrqc.ENABLE_RSS | ALL_FIELDS, RXCSUM_PCSD);
            f.drv.write(RFCTL, 0);
            Object[] row = RssToeplitzTest.VECTORS[0];               // hash with ports odd: queue 1 under RSS
            f.dev.wire().inject(frame(row, TCP));
            assertThat(queues[1].take()).isNull();
            byte[] d = new byte[16];
            java.lang.foreign.MemorySegment.copy(queues[0].ring.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, d, 0, 16);
            assertThat(d[RxDescriptor.STATUS] & RxDescriptor.STA_DD).isNotZero();
            assertThat(d[RxDescriptor.CSUM] | d[RxDescriptor.CSUM + 1]).as("legacy checksum field, no hash").isZero();
        }
    }

    @Test
    void checksumVerdictsStayInTheStatusWithPcsd() {
        try (Fixture f = Fixture.open()) {
            Queue[] queues = rss(f, Mrqc.ENABLE_RSS | ALL_FIELDS, RXCSUM_PCSD | ChecksumOffload.RXCSUM_IPOFL);
            Object[] row = RssToeplitzTest.VECTORS[2];
            int[] wb = expectOn(f, queues, frame(row, TCP), (int) row[5]);
            assertThat(wb[1]).isEqualTo((int) row[5]);
            assertThat(wb[2] & 0x40).as("IPCS").isNotZero();
            assertThat(wb[2] & 0x4000_0000).as("IPE: the frame's header checksum is 0, wrong").isNotZero();
        }
    }

    /** {@code rss-bad-hash}: the queue and type are right, the hash is not. */
    static void badHashTurnsBitZeroOver() {
        try (Fixture f = Fixture.open("&fault=rss-bad-hash")) {
            Queue[] queues = rss(f, Mrqc.ENABLE_RSS | ALL_FIELDS, RXCSUM_PCSD);
            Object[] row = RssToeplitzTest.VECTORS[3];
            int[] wb = expectOn(f, queues, frame(row, TCP), (int) row[5]);
            assertThat(wb[1]).isEqualTo((int) row[5] ^ 1);
            assertThat(wb[0] & 0xF).isEqualTo(RxDescriptor.RSS_TYPE_TCP_IPV4);
        }
    }

    /** {@code rss-wrong-queue}: every hashed frame lands on the other ring than RETA names, its hash and type right. */
    static void wrongQueueTakesTheOtherRing() {
        try (Fixture f = Fixture.open("&fault=rss-wrong-queue")) {
            Queue[] queues = rss(f, Mrqc.ENABLE_RSS | ALL_FIELDS, RXCSUM_PCSD);
            for (Object[] row : RssToeplitzTest.VECTORS) {
                int hash = (int) row[5];
                f.dev.wire().inject(frame(row, TCP));
                int named = hash & 1;                            // RETA entry i names queue i & 1
                assertThat(queues[named].take()).as("queue %d, which RETA names", named).isNull();
                int[] wb = queues[1 - named].take();
                assertThat(wb).as("the other queue has the frame").isNotNull();
                assertThat(wb[1]).as("the hash stays right").isEqualTo(hash);
                assertThat(wb[0] & 0xF).isEqualTo(row[0].toString().contains(":") ? RxDescriptor.RSS_TYPE_TCP_IPV6
                        : RxDescriptor.RSS_TYPE_TCP_IPV4);
            }
        }
    }
}
