package io.nicup.cli;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.datapath.NetBufferListPool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code send}'s generated frames as a traffic generator, the way pktgen's {@code clone_skb} and testpmd's
 * {@code txonly} make them (docs/ndis-contract.md §20): each frame is written straight into a send buffer
 * of the session's pool, and a buffer that already holds a frame of the same shape (the same size and the
 * same payload phase: frame {@code seq - capacity} of a pool of {@code capacity} buffers, when the size list's
 * length divides it) gets only the per-frame fields patched in place: the sequence field, and for UDP/TCP
 * the source port, the TCP sequence number and the IPv4 Identification, with the checksums updated
 * incrementally (RFC 1624 eqn. 3). Any other buffer is rebuilt from the size's header
 * {@link FrameTemplates template} and the payload ramp (two bulk copies) and its checksums computed once.
 * Either way the bytes are those {@link GeneratedFrames} defines for frame {@code seq}.
 *
 * <p>The generator keeps the pool's free NBLs filed by the frame their buffer holds, so frame {@code seq}
 * finds the buffer of frame {@code seq - capacity}; {@link #release} gives them back when the run ends.
 * Nothing allocates per frame. Not thread-safe: one send loop drives it.
 */
public final class FrameGenerator {

    private final FrameTemplates templates;
    private final int count;
    private final int checksumInfo;
    private final int largeSendInfo;
    private NetBufferListPool pool;
    private int capacity;
    /** Free NBLs taken from the pool, filed at {@code held % capacity} (the frame their buffer holds). */
    private NetBufferList[] byHeld;
    /** Free NBLs whose buffer holds nothing known (new, or displaced from {@link #byHeld}). */
    private NetBufferList[] spare;
    private int spareTop;
    private NetBufferList[] pulled;
    /** Per buffer (by its place in the pool's region): its device address, and the frame it holds (-1: none). */
    private long[] slotIova;
    private int[] slotHeld;
    private long regionIova;
    private long stride;
    private long patched;
    private long rebuilt;

    /** The generator of {@code g}'s frames from {@code src}; each NBL carries the two NBL-information words. */
    FrameGenerator(GeneratedFrames g, MacAddress src, int checksumInfo, int largeSendInfo) {
        this.templates = new FrameTemplates(g, src);
        this.count = g.count();
        this.checksumInfo = checksumInfo;
        this.largeSendInfo = largeSendInfo;
    }

    /**
     * The generator {@code nicup send --dst DST --size SIZES --proto PROTO --flows FLOWS [--vlan VLAN]}
     * (checksums computed here) makes for {@code count} frames from {@code src}; for measuring it.
     */
    public static FrameGenerator of(String dst, String src, int count, String sizes, String proto, int flows,
            String vlan) {
        GeneratedFrames g = new GeneratedFrames(MacAddress.parse(dst), count, FrameSizes.parse(sizes),
                GeneratedFrames.Proto.parse(proto), flows, vlan == null ? null : GeneratedFrames.Vlan.parse(vlan),
                IpHeaders.Checksums.SOFTWARE, 0);
        return new FrameGenerator(g, MacAddress.parse(src), 0, 0);
    }

    public int count() {
        return count;
    }

    /** Frames written by patching a buffer that held the same shape, and by rebuilding one. */
    public long patched() {
        return patched;
    }

    public long rebuilt() {
        return rebuilt;
    }

    /**
     * Writes frames {@code first ..} (up to {@code n}) into buffers of {@code sendPool} and sends them to
     * {@code a} as one chain; returns how many went (fewer when no buffer was free for the next frame).
     * Frames must be asked for in order, each once.
     */
    public int submit(NdisHost host, MiniportAdapter a, NetBufferListPool sendPool, int first, int n) {
        if (pool != sendPool) {
            attach(sendPool);
        }
        pull();
        NetBufferList head = null;
        NetBufferList tail = null;
        int sent = 0;
        for (; sent < n; sent++) {
            int seq = first + sent;
            int k = seq % capacity;
            NetBufferList nbl = byHeld[k];
            if (nbl != null) {
                byHeld[k] = null;
            } else if (spareTop > 0) {
                nbl = spare[--spareTop];
                spare[spareTop] = null;
            } else {
                break;                                       // frame seq - capacity is still out
            }
            write(nbl.firstNetBuffer(), seq);
            nbl.setInfo(NetBufferListInfo.TCP_IP_CHECKSUM, checksumInfo);
            nbl.setInfo(NetBufferListInfo.TCP_LARGE_SEND, largeSendInfo);
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
        }
        if (head != null) {
            host.send(a, head, 0, 0);
        }
        return sent;
    }

    /** Gives every NBL the generator holds back to the pool (the end of a run; idempotent). */
    public void release() {
        if (pool == null) {
            return;
        }
        for (int k = 0; k < capacity; k++) {
            if (byHeld[k] != null) {
                pool.free(byHeld[k]);
                byHeld[k] = null;
            }
        }
        while (spareTop > 0) {
            pool.free(spare[--spareTop]);
            spare[spareTop] = null;
        }
    }

    private void attach(NetBufferListPool sendPool) {
        release();
        pool = sendPool;
        capacity = sendPool.capacity();
        byHeld = new NetBufferList[capacity];
        spare = new NetBufferList[capacity];
        pulled = new NetBufferList[capacity];
        slotIova = new long[capacity];
        slotHeld = new int[capacity];
        java.util.Arrays.fill(slotIova, -1);
        regionIova = sendPool.dataRegion().iova();
        stride = (sendPool.parameters().dataSize() + 63) & -64;   // NetBufferListPool: 64-byte aligned buffers
    }

    /** Takes every free NBL from the pool (one pool call) and files it by the frame its buffer holds. */
    private void pull() {
        int got = pool.allocate(pulled, 0, capacity);
        for (int i = 0; i < got; i++) {
            NetBufferList nbl = pulled[i];
            pulled[i] = null;
            int held = held(nbl.firstNetBuffer());
            int k = held < 0 ? -1 : held % capacity;
            if (k >= 0 && byHeld[k] == null) {
                byHeld[k] = nbl;
            } else {
                spare[spareTop++] = nbl;
            }
        }
    }

    /** The buffer's place in the pool's region, or -1 when it is not where the pool's layout puts it. */
    private int slot(NetBuffer nb) {
        long rel = nb.bufferIova() - regionIova;
        long slot = rel / stride;
        return rel < 0 || rel % stride != 0 || slot >= capacity ? -1 : (int) slot;
    }

    /** The frame {@code nb}'s buffer holds, or -1 when unknown. */
    private int held(NetBuffer nb) {
        int slot = slot(nb);
        return slot >= 0 && slotIova[slot] == nb.bufferIova() ? slotHeld[slot] : -1;
    }

    private void write(NetBuffer nb, int seq) {
        MemorySegment buf = nb.buffer();
        long at = nb.dataOffset();
        int length = templates.length(seq);
        int slot = slot(nb);
        int held = slot >= 0 && slotIova[slot] == nb.bufferIova() ? slotHeld[slot] : -1;
        if (held >= 0 && templates.sameShape(held, seq)) {
            templates.patch(buf, at, length, held, seq);
            patched++;
        } else {
            templates.build(buf, at, length, seq);
            rebuilt++;
        }
        nb.setDataLength(length);
        if (slot >= 0) {
            slotIova[slot] = nb.bufferIova();
            slotHeld[slot] = seq;
        }
    }

    /** Frame {@code seq} as a new array, built the way {@link #submit} builds it in a buffer (tests, comparisons). */
    byte[] frame(int seq) {
        int length = templates.length(seq);
        MemorySegment buf = MemorySegment.ofArray(new byte[length]);
        templates.build(buf, 0, length, seq);
        return buf.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Frame {@code seq} patched into {@code frame}, which holds frame {@code held} of the same shape (tests). */
    void patch(byte[] frame, int held, int seq) {
        if (!templates.sameShape(held, seq)) {
            throw new IllegalArgumentException("frames of different shapes: held=" + held + " seq=" + seq);
        }
        templates.patch(MemorySegment.ofArray(frame), 0, frame.length, held, seq);
    }

    /** Whether frame {@code seq} may be patched over frame {@code held}. */
    boolean sameShape(int held, int seq) {
        return templates.sameShape(held, seq);
    }
}
