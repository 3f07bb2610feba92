package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.oid.NdisPacketFilter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The control queue (VIRTIO_NET_F_CTRL_VQ, virtio 1.2, 5.1.6.5): the packet filter and the MAC table
 * as commands the device acknowledges. One command at a time, over descriptors 0-2 of its ring and one
 * buffer: header at {@value #HDR}, ack at {@value #ACK}, data at {@value #DATA}. A command is waited for
 * with a deadline; one the device never uses asks for a reset (it may still use it later, so the queue
 * cannot be reused before).
 *
 * <p>Commands are made holding {@link #lock()}, the adapter's lock for the common configuration
 * (diagnostics take it too, as queue_select is shared).
 */
final class ControlQueue {

    /** Control classes and commands (5.1.6.5). */
    static final int CLASS_RX = 0;
    static final int RX_PROMISC = 0;
    static final int RX_ALLMULTI = 1;
    static final int CLASS_MAC = 1;
    static final int MAC_TABLE_SET = 0;
    static final int CLASS_MQ = 4;
    static final int MQ_VQ_PAIRS_SET = 0;
    static final int MQ_RSS_CONFIG = 1;
    static final int MQ_HASH_CONFIG = 2;
    static final int OK = 0;
    /** struct virtio_net_rss_config with 128 entries and a 40-byte key: 8 + 256 + 3 + 40. */
    private static final int RSS_CONFIG_MAX = 8 + 2 * 128 + 3 + 40;

    static final int HDR = 0;
    static final int ACK = 8;
    static final int DATA = 16;

    /** The buffer: header, ack, and the largest data (a MAC table with one unicast and a full multicast list). */
    static int bufferBytes(int maxMulticast) {
        return DATA + Math.max(8 + (1 + maxMulticast) * MacAddress.LENGTH + 8, RSS_CONFIG_MAX);
    }

    /** A command is answered within the notify on QEMU; Linux busy-waits, we give it 1 s. */
    static final long TIMEOUT_NANOS = 1_000_000_000L;
    private static final long POLL_NANOS = 10_000;
    private static final ValueLayout.OfInt LE32_UNALIGNED = ValueLayout.JAVA_INT_UNALIGNED
            .withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE16_UNALIGNED = ValueLayout.JAVA_SHORT_UNALIGNED
            .withOrder(ByteOrder.LITTLE_ENDIAN);

    private final SplitRing ring;
    private final SharedMemory memory;
    private final Object lock;
    private final DeviceHealth health;
    /** VIRTIO_NET_F_CTRL_RX: the device takes the RX mode and MAC table commands. */
    private final boolean rxCommands;
    private VirtioTransport transport;
    /** The doorbell's offset in the notify window, set when the queue is set up. */
    long notifyOffset;

    long commands;
    long failures;

    /** The control queue's virtqueue index: 2, or 2 * max_virtqueue_pairs with MQ or RSS (5.1.2). */
    private final int index;

    ControlQueue(SplitRing ring, SharedMemory memory, Object lock, DeviceHealth health, boolean rxCommands,
            int index) {
        this.index = index;
        this.ring = ring;
        this.memory = memory;
        this.lock = lock;
        this.health = health;
        this.rxCommands = rxCommands;
    }

    void attach(VirtioTransport transport) {
        this.transport = transport;
    }

    SplitRing ring() {
        return ring;
    }

    Object lock() {
        return lock;
    }

    /**
     * The packet filter to the device (5.1.6.5.1, 5.1.6.5.2): PROMISCUOUS → RX_PROMISC on, ALL_MULTICAST →
     * RX_ALLMULTI on, MAC_TABLE_SET with the current address as the one unicast entry and the multicast
     * list when MULTICAST is set. Without CTRL_RX the device takes everything and {@link ReceiveFilter}
     * filters. False when the device refused a command.
     */
    boolean applyFilter(int packetFilter, byte[] multicast, MacAddress current) {
        if (!rxCommands || transport == null) {
            return true;
        }
        boolean ok = rxMode(RX_PROMISC, (packetFilter & NdisPacketFilter.PROMISCUOUS) != 0);
        ok &= rxMode(RX_ALLMULTI, (packetFilter & NdisPacketFilter.ALL_MULTICAST) != 0);
        ok &= macTable(current, (packetFilter & NdisPacketFilter.MULTICAST) != 0 ? multicast : new byte[0]);
        return ok;
    }

    /** VIRTIO_NET_CTRL_RX_PROMISC / _ALLMULTI with one byte, on or off. */
    boolean rxMode(int command, boolean on) {
        synchronized (lock) {
            memory.segment().set(ValueLayout.JAVA_BYTE, DATA, (byte) (on ? 1 : 0));
            return command(CLASS_RX, command, 1);
        }
    }

    /** VIRTIO_NET_CTRL_MAC_TABLE_SET: {le32 entries, macs} unicast, then the same for multicast. */
    private boolean macTable(MacAddress current, byte[] multicastList) {
        synchronized (lock) {
            MemorySegment m = memory.segment();
            m.set(Virtq.LE32, DATA, 1);
            MemorySegment.copy(current.bytes(), 0, m, ValueLayout.JAVA_BYTE, DATA + 4, 6);
            int at = DATA + 10;
            m.set(LE32_UNALIGNED, at, multicastList.length / MacAddress.LENGTH);
            MemorySegment.copy(multicastList, 0, m, ValueLayout.JAVA_BYTE, at + 4, multicastList.length);
            return command(CLASS_MAC, MAC_TABLE_SET, 10 + 4 + multicastList.length);
        }
    }

    /**
     * VIRTIO_NET_CTRL_MQ_RSS_CONFIG (5.1.6.5.7.1): {@code struct virtio_net_rss_config} with
     * {@code hash_types}, the indirection table {@code table} (a power of two long, each entry a receive queue
     * index), unclassified_queue 0, max_tx_vq and the key. Types 0 and an empty key turn RSS off. True when
     * the device took it.
     */
    boolean rssConfig(int hashTypes, int[] table, int maxTxVq, byte[] key) {
        synchronized (lock) {
            MemorySegment m = memory.segment();
            m.set(LE32_UNALIGNED, DATA, hashTypes);
            m.set(LE16_UNALIGNED, DATA + 4, (short) (table.length - 1));         // indirection_table_mask
            m.set(LE16_UNALIGNED, DATA + 6, (short) 0);                          // unclassified_queue
            for (int i = 0; i < table.length; i++) {
                m.set(LE16_UNALIGNED, DATA + 8 + 2L * i, (short) table[i]);
            }
            int at = DATA + 8 + 2 * table.length;
            m.set(LE16_UNALIGNED, at, (short) maxTxVq);                          // max_tx_vq
            m.set(ValueLayout.JAVA_BYTE, at + 2, (byte) key.length);
            MemorySegment.copy(key, 0, m, ValueLayout.JAVA_BYTE, at + 3, key.length);
            return command(CLASS_MQ, MQ_RSS_CONFIG, at + 3 + key.length - DATA);
        }
    }

    /**
     * VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET (5.1.6.5.6): {@code struct virtio_net_ctrl_mq}, le16 virtqueue_pairs.
     * True when the device took it.
     */
    boolean vqPairsSet(int pairs) {
        synchronized (lock) {
            memory.segment().set(LE16_UNALIGNED, DATA, (short) pairs);
            return command(CLASS_MQ, MQ_VQ_PAIRS_SET, 2);
        }
    }

    /**
     * VIRTIO_NET_CTRL_MQ_HASH_CONFIG (5.1.6.5.6.4): {@code struct virtio_net_hash_config}, the hash types
     * and the key, for the hash report alone. True when the device took it.
     */
    boolean hashConfig(int hashTypes, byte[] key) {
        synchronized (lock) {
            MemorySegment m = memory.segment();
            m.set(LE32_UNALIGNED, DATA, hashTypes);
            m.asSlice(DATA + 4, 8).fill((byte) 0);                               // reserved[4]
            m.set(ValueLayout.JAVA_BYTE, DATA + 12, (byte) key.length);
            MemorySegment.copy(key, 0, m, ValueLayout.JAVA_BYTE, DATA + 13, key.length);
            return command(CLASS_MQ, MQ_HASH_CONFIG, 13 + key.length);
        }
    }

    /**
     * Sends one command (5.1.6.5: header {class, command}, data, device-writable ack) and waits for the
     * device to use it, with a deadline. Holds the lock. True when the ack is VIRTIO_NET_OK.
     */
    private boolean command(int cls, int command, int dataLength) {
        if (!health.usable()) {
            return false;
        }
        MemorySegment m = memory.segment();
        long base = memory.physicalAddress();
        m.set(ValueLayout.JAVA_BYTE, HDR, (byte) cls);
        m.set(ValueLayout.JAVA_BYTE, HDR + 1, (byte) command);
        m.set(ValueLayout.JAVA_BYTE, ACK, (byte) 0xFF);
        ring.setDesc(0, base + HDR, 2, Virtq.DESC_F_NEXT, 1);
        ring.setDesc(1, base + DATA, dataLength, Virtq.DESC_F_NEXT, 2);
        ring.setDesc(2, base + ACK, 1, Virtq.DESC_F_WRITE, 0);
        ring.publish(0);
        ring.commit();
        commands++;
        transport.notify(notifyOffset, index);
        long deadline = transport.clock().nanoTime() + TIMEOUT_NANOS;
        while (ring.usedReady() == 0) {
            if (transport.clock().nanoTime() - deadline >= 0) {
                failures++;
                health.requestReset(String.format("control command class=%d command=%d not used within %d ms:"
                        + " used.idx=%d avail.idx=%d", cls, command, TIMEOUT_NANOS / 1_000_000, ring.usedIndex(),
                        ring.availIndex()));
                return false;
            }
            transport.clock().sleepNanos(POLL_NANOS);
        }
        ring.consume(ring.usedReady());
        boolean ok = m.get(ValueLayout.JAVA_BYTE, ACK) == OK;
        if (!ok) {
            failures++;
        }
        return ok;
    }
}
