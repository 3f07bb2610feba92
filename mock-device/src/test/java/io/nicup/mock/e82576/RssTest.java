package io.nicup.mock.e82576;

import static io.nicup.mock.e82576.Bench.LE32;
import static io.nicup.mock.e82576.Bench.LE64;
import static io.nicup.mock.e82576.Bench.MAC;
import static io.nicup.mock.e82576.Bench.PEER;
import static io.nicup.mock.e82576.Bench.RCTL_ON;
import static io.nicup.mock.e82576.Regs.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.RssToeplitzTest;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Receive-side scaling on the behavioural 82576 (docs/hardware-reference.md B.16): frames of Microsoft's
 * verification flows land on the queue the redirection table names, with the documented hash, RSS type
 * and packet type in their write-back; MRQC 0 keeps every frame on queue 0 without a hash; a disabled
 * queue drops and counts in RQDPC; each queue raises its own EICR bit.
 */
class RssTest {

    static final int COUNT = 16;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ALL_FIELDS = Mrqc.TCP_IPV4 | Mrqc.IPV4 | Mrqc.IPV6 | Mrqc.TCP_IPV6 | Mrqc.UDP_IPV4 | Mrqc.UDP_IPV6;

    /** One receive queue's ring and buffers, read as a driver would. */
    static final class Queue {
        final Bench b;
        final int q;
        final DmaRegion ring;
        final DmaRegion buffers;
        int next;

        Queue(Bench b, int q) {
            this.b = b;
            this.q = q;
            if (q == 0) {
                ring = b.rxRing;
                buffers = b.rxBuffers;
                return;
            }
            ring = b.dev.dma().allocate("rx-ring-" + q, COUNT * 16, 128);
            buffers = b.dev.dma().allocate("rx-buffers-" + q, COUNT * 2048, 4096);
            for (int i = 0; i < COUNT; i++) {
                ring.segment().set(LE64, i * 16L, buffers.iova() + 2048L * i);
            }
            b.write(rdbal(q), (int) ring.iova());
            b.write(rdbah(q), (int) (ring.iova() >>> 32));
            b.write(rdlen(q), COUNT * 16);
            b.write(srrctl(q), 2 | 0x02000000);
            b.write(rxdctl(q), QUEUE_ENABLE);
            b.advance(Timing.QUEUE_ENABLE_NANOS);
            b.write(rdt(q), COUNT - 1);
        }

        /** The next written-back descriptor's lower dwords and status: {dword 0, dword 1, status}, or null. */
        int[] take() {
            long d = next * 16L;
            int status = ring.segment().get(LE32, d + 8);
            if ((status & RxDesc.STAT_DD) == 0) {
                return null;
            }
            int[] wb = {ring.segment().get(LE32, d), ring.segment().get(LE32, d + 4), status};
            ring.segment().set(LE64, d, buffers.iova() + 2048L * next);
            ring.segment().set(LE64, d + 8, 0L);
            b.write(rdt(q), next);
            next = (next + 1) % COUNT;
            return wb;
        }
    }

    /** An Ethernet frame to the device with an IPv4 or IPv6 header and 8 or 20 bytes of L4 header. */
    static byte[] frame(byte[] src, byte[] dst, int proto, int sourcePort, int destinationPort) {
        boolean v6 = src.length == 16;
        int l3 = v6 ? 40 : 20;
        int l4 = proto == TCP ? 20 : 8;
        ByteBuffer f = ByteBuffer.allocate(14 + l3 + l4 + 16);
        f.put(MAC).put(PEER).putShort((short) (v6 ? 0x86DD : 0x0800));
        if (v6) {
            f.putInt(0x6000_0000).putShort((short) (l4 + 16)).put((byte) proto).put((byte) 64).put(src).put(dst);
        } else {
            f.put((byte) 0x45).put((byte) 0).putShort((short) (l3 + l4 + 16)).putInt(0).put((byte) 64)
                    .put((byte) proto).putShort((short) 0).put(src).put(dst);
        }
        f.putShort((short) sourcePort).putShort((short) destinationPort);
        return f.array();
    }

    static byte[] frame(Object[] row, int proto) {
        return frame(RssToeplitzTest.address(row[2]), RssToeplitzTest.address(row[0]), proto, (int) row[3],
                (int) row[1]);
    }

    /** The device up with queues 0-3 enabled, the documented key, {@code mrqc}, and RETA entry i naming {@link #retaQueue}. */
    static Queue[] rss(Bench b, int mrqc, boolean pcsd) {
        b.up(RCTL_ON);
        Queue[] queues = new Queue[4];
        for (int q = 0; q < queues.length; q++) {
            queues[q] = new Queue(b, q);
        }
        for (int i = 0; i < 10; i++) {
            int k = 0;
            for (int j = 3; j >= 0; j--) {
                k = k << 8 | RssToeplitzTest.KEY[4 * i + j] & 0xFF;
            }
            b.write(RSSRK0 + 4 * i, k);
        }
        for (int i = 0; i < 32; i++) {
            int r = 0;
            for (int j = 3; j >= 0; j--) {
                r = r << 8 | retaQueue(4 * i + j);
            }
            b.write(RETA0 + 4 * i, r);
        }
        b.write(RXCSUM, b.read(RXCSUM) | (pcsd ? RXCSUM_PCSD : 0));
        b.write(MRQC, mrqc);
        return queues;
    }

    /** The queue the test's redirection table names at entry {@code i}: uneven, so byte order matters. */
    static int retaQueue(int i) {
        return (i * 5 + i / 32) & 3;
    }

    /** Injects {@code f} and returns the write-back of the queue RETA names for {@code hash}; no other queue got it. */
    static int[] expectOn(Bench b, Queue[] queues, byte[] f, int hash) {
        b.dev.wire().inject(f);
        int expected = retaQueue(hash & 0x7F);
        int[] wb = null;
        for (Queue q : queues) {
            int[] got = q.take();
            if (q.q == expected) {
                wb = got;
            } else {
                assertThat(got).as("queue %d got a frame for queue %d", q.q, expected).isNull();
            }
        }
        assertThat(wb).as("queue %d has the frame", expected).isNotNull();
        return wb;
    }

    @Test
    void tcpUdpAndAddressOnlyIpv4FlowsLandOnTheRetaQueueWithTheDocumentedHash() {
        try (Bench b = new Bench("")) {
            Queue[] queues = rss(b, Mrqc.MRQE_RSS | ALL_FIELDS, true);
            for (Object[] row : RssToeplitzTest.VECTORS) {
                if (((String) row[0]).contains(":")) {
                    continue;
                }
                int[] tcp = expectOn(b, queues, frame(row, TCP), (int) row[5]);
                assertThat(tcp[1]).isEqualTo((int) row[5]);
                assertThat(tcp[0] & 0xF).isEqualTo(RxDesc.RSS_TYPE_TCP_IPV4);
                assertThat(tcp[0] & 0x1FFF0).isEqualTo(RxDesc.PKT_IPV4 | RxDesc.PKT_TCP);
                // UdpIPv4 reads the same four fields as TcpIPv4
                int[] udp = expectOn(b, queues, frame(row, UDP), (int) row[5]);
                assertThat(udp[1]).isEqualTo((int) row[5]);
                assertThat(udp[0] & 0xF).isEqualTo(RxDesc.RSS_TYPE_UDP_IPV4);
                assertThat(udp[0] & 0x1FFF0).isEqualTo(RxDesc.PKT_IPV4 | RxDesc.PKT_UDP);
                int[] ip = expectOn(b, queues, frame(row, ICMP), (int) row[4]);
                assertThat(ip[1]).isEqualTo((int) row[4]);
                assertThat(ip[0] & 0xF).isEqualTo(RxDesc.RSS_TYPE_IPV4);
                assertThat(ip[0] & 0x1FFF0).isEqualTo(RxDesc.PKT_IPV4);
            }
        }
    }

    @Test
    void tcpUdpAndAddressOnlyIpv6FlowsLandOnTheRetaQueueWithTheDocumentedHash() {
        try (Bench b = new Bench("")) {
            Queue[] queues = rss(b, Mrqc.MRQE_RSS | ALL_FIELDS, true);
            int rows = 0;
            for (Object[] row : RssToeplitzTest.VECTORS) {
                if (!((String) row[0]).contains(":")) {
                    continue;
                }
                rows++;
                int[] tcp = expectOn(b, queues, frame(row, TCP), (int) row[5]);
                assertThat(tcp[1]).isEqualTo((int) row[5]);
                assertThat(tcp[0] & 0xF).isEqualTo(RxDesc.RSS_TYPE_TCP_IPV6);
                assertThat(tcp[0] & 0x1FFF0).isEqualTo(RxDesc.PKT_IPV6 | RxDesc.PKT_TCP);
                int[] udp = expectOn(b, queues, frame(row, UDP), (int) row[5]);
                assertThat(udp[1]).isEqualTo((int) row[5]);
                assertThat(udp[0] & 0xF).isEqualTo(RxDesc.RSS_TYPE_UDP_IPV6);
                int[] ip = expectOn(b, queues, frame(row, 58), (int) row[4]);
                assertThat(ip[1]).isEqualTo((int) row[4]);
                assertThat(ip[0] & 0xF).isEqualTo(RxDesc.RSS_TYPE_IPV6);
                assertThat(ip[0] & 0x1FFF0).isEqualTo(RxDesc.PKT_IPV6);
            }
            assertThat(rows).isEqualTo(3);
        }
    }

    @Test
    void theRssWrongQueueFaultWritesEachHashedFrameToTheNextQueueWithTheRightHash() {
        try (Bench b = new Bench("&fault=rss-wrong-queue")) {
            Queue[] queues = rss(b, Mrqc.MRQE_RSS | ALL_FIELDS, true);
            for (Object[] row : RssToeplitzTest.VECTORS) {
                int hash = (int) row[5];
                b.dev.wire().inject(frame(row, TCP));
                int named = retaQueue(hash & 0x7F);
                int wrong = (named + 1) % queues.length;         // queues 0-3 are the enabled ones
                for (Queue q : queues) {
                    int[] got = q.take();
                    if (q.q == wrong) {
                        assertThat(got).as("queue %d: the one after RETA's %d", q.q, named).isNotNull();
                        assertThat(got[1]).as("the hash stays right").isEqualTo(hash);
                    } else {
                        assertThat(got).as("queue %d", q.q).isNull();
                    }
                }
            }
        }
    }

    @Test
    void aTcpFrameTakesTheAddressOnlyHashWhenOnlyTheIpFieldIsEnabled() {
        try (Bench b = new Bench("")) {
            Queue[] queues = rss(b, Mrqc.MRQE_RSS | Mrqc.IPV4 | Mrqc.IPV6, true);
            Object[] v4 = RssToeplitzTest.VECTORS[1];
            int[] wb = expectOn(b, queues, frame(v4, TCP), (int) v4[4]);
            assertThat(wb[1]).isEqualTo((int) v4[4]);
            assertThat(wb[0] & 0xF).isEqualTo(RxDesc.RSS_TYPE_IPV4);
            Object[] v6 = RssToeplitzTest.VECTORS[6];
            wb = expectOn(b, queues, frame(v6, UDP), (int) v6[4]);
            assertThat(wb[1]).isEqualTo((int) v6[4]);
            assertThat(wb[0] & 0xF).isEqualTo(RxDesc.RSS_TYPE_IPV6);
        }
    }

    @Test
    void withMrqcZeroEveryFrameStaysOnQueueZeroWithoutAHash() {
        try (Bench b = new Bench("")) {
            Queue[] queues = rss(b, ALL_FIELDS, true);      // field enables without MRQE = RSS
            for (Object[] row : RssToeplitzTest.VECTORS) {
                b.dev.wire().inject(frame(row, TCP));
                int[] wb = queues[0].take();
                assertThat(wb).isNotNull();
                assertThat(wb[1]).as("no hash").isZero();
                assertThat(wb[0] & 0xF).as("no RSS type").isZero();
                for (int q = 1; q < queues.length; q++) {
                    assertThat(queues[q].take()).isNull();
                }
            }
        }
    }

    @Test
    void withoutPcsdRssStillPicksTheQueueButDwordOneCarriesNoHash() {
        try (Bench b = new Bench("")) {
            Queue[] queues = rss(b, Mrqc.MRQE_RSS | ALL_FIELDS, false);
            Object[] row = RssToeplitzTest.VECTORS[2];
            int[] wb = expectOn(b, queues, frame(row, TCP), (int) row[5]);
            assertThat(wb[1]).isZero();
            assertThat(wb[0] & 0xF).isEqualTo(RxDesc.RSS_TYPE_TCP_IPV4);
        }
    }

    @Test
    void aFrameForADisabledQueueIsDroppedAndCountedInThatQueuesRqdpc() {
        try (Bench b = new Bench("")) {
            Queue[] queues = rss(b, Mrqc.MRQE_RSS | ALL_FIELDS, true);
            Object[] row = RssToeplitzTest.VECTORS[0];
            int target = retaQueue((int) row[5] & 0x7F);
            b.write(rxdctl(target), 0);
            b.advance(Timing.QUEUE_ENABLE_NANOS);
            b.dev.wire().inject(frame(row, TCP));
            for (Queue q : queues) {
                assertThat(q.take()).as("queue %d", q.q).isNull();
            }
            assertThat(b.model.rxFifoFrames()).as("not held either").isZero();
            assertThat(b.model.counter(E82576Model.Counter.RX_QUEUE_DISABLED)).isEqualTo(1);
            assertThat(b.read(rqdpc(target))).isEqualTo(1);
            assertThat(b.read(rqdpc(target))).as("clear on read").isZero();
            assertThat(b.read(rqdpc((target + 1) & 3))).isZero();
            b.dev.wire().inject(frame(RssToeplitzTest.VECTORS[0], ICMP));   // another queue still receives
            int[] wb = null;
            for (Queue q : queues) {
                int[] got = q.take();
                wb = got != null ? got : wb;
            }
            assertThat(wb).isNotNull();
        }
    }

    @Test
    void aQueueFromEightOnTakesItsEntryFromBits23To16OfItsIvar() {
        try (Bench b = new Bench("")) {
            InterruptSet set = b.dev.interrupts().enable(InterruptMode.MSIX, 4);
            rss(b, Mrqc.MRQE_RSS | ALL_FIELDS, true);
            Queue nine = new Queue(b, 9);
            for (int i = 0; i < 32; i++) {
                b.write(RETA0 + 4 * i, 0x09090909);          // every entry: queue 9
            }
            b.write(GPIE, Gpie.MSIX_MODE | Gpie.NSICR);
            b.write(IVAR0 + 4, (0x80 | 2) | (0x80 | 3) << 16);  // queue 1 -> vector 2, queue 9 -> vector 3
            b.write(EIAC, 0b1111);
            b.write(EIMS, 0b1111);
            set.poll();
            Object[] row = RssToeplitzTest.VECTORS[3];
            b.dev.wire().inject(frame(row, TCP));
            int[] wb = nine.take();
            assertThat(wb).isNotNull();
            assertThat(wb[1]).isEqualTo((int) row[5]);
            assertThat(set.poll()).isEqualTo(1 << 3);
        }
    }

    @Test
    void eachReceiveQueueRaisesTheEicrBitOfItsOwnIvarEntry() {
        try (Bench b = new Bench("")) {
            InterruptSet set = b.dev.interrupts().enable(InterruptMode.MSIX, 4);
            Queue[] queues = rss(b, Mrqc.MRQE_RSS | ALL_FIELDS, true);
            b.write(GPIE, Gpie.MSIX_MODE | Gpie.NSICR);
            // receive entries: queue 0 -> vector 0, 1 -> 1, 2 -> 2, 3 -> 3 (IVAR[q] bits 7:0)
            for (int q = 0; q < 4; q++) {
                b.write(IVAR0 + 4 * q, 0x80 | q);
            }
            b.write(EIAC, 0b1111);
            b.write(EIMS, 0b1111);
            set.poll();
            for (Object[] row : RssToeplitzTest.VECTORS) {
                int q = retaQueue((int) row[5] & 0x7F);
                expectOn(b, queues, frame(row, TCP), (int) row[5]);
                assertThat(set.poll()).as("queue %d", q).isEqualTo(1 << q);
            }
        }
    }
}
