package io.nicup.mock.e82574;

import io.nicup.mock.intel.ChecksumOffload;
import io.nicup.mock.intel.E1000xRx;
import io.nicup.mock.intel.IntelCore;
import io.nicup.mock.intel.IntelFault;
import io.nicup.mock.intel.IntelReceiver;
import io.nicup.mock.intel.IntelTransmitter;
import io.nicup.mock.intel.RingRegisters;

import static io.nicup.mock.e82574.Regs.*;

/**
 * The 82574L's two transmit and two receive queues as the shared engines see them: legacy transmit
 * descriptors ({@link TxDescriptor}), legacy or extended receive descriptors ({@link RxDescriptor},
 * RFCTL.EXTEN), RCTL.FLXBUF buffer sizes, the jumbo limit, and the causes QEMU 7.2's e1000e raises
 * (TXQE/TXDW or TXQ0/TXQ1 with MSI-X; RXT0 and RXDMT0 at the RCTL.RDMTS threshold, or RXQ0/RXQ1). A
 * received frame goes to the queue receive-side scaling names ({@link E82574Rss}; queue 0 without RSS).
 */
final class E82574Queues implements IntelTransmitter.Chip, IntelReceiver.Chip {

    /** Largest frame (without FCS) accepted with RCTL.LPE (QEMU {@code e1000x_is_oversized}: 16 KiB - 4). */
    static final int MAX_JUMBO = 16 * 1024 - 4;
    /** Largest frame (without FCS) accepted without RCTL.LPE: 14 + 4 (VLAN) + 1500 (1522 with FCS). */
    static final int MAX_STANDARD = 1518;
    /** Frames gathered for transmit are at most 16 KiB. */
    static final int TX_BUFFER = 16 * 1024;

    private final IntelCore core;
    private final int[] mac;
    private final E82574Interrupts interrupts;
    private final RingRegisters[] txRings = {txRing0(0), txRing0(1)};
    private final RingRegisters[] rxRings = {rxRing0(0), rxRing0(1)};
    private final E82574Rss rss;

    E82574Queues(IntelCore core, E82574Interrupts interrupts) {
        this.core = core;
        this.mac = core.regs;
        this.interrupts = interrupts;
        this.rss = new E82574Rss(mac);
    }

    private static RingRegisters txRing0(int q) {
        return new RingRegisters(tdbal(q), tdbah(q), tdlen(q), tdh(q), tdt(q));
    }

    private static RingRegisters rxRing0(int q) {
        return new RingRegisters(rdbal(q), rdbah(q), rdlen(q), rdh(q), rdt(q));
    }

    // ------------------------------------------------------------------ transmit (docs/hardware-reference.md B.4, B.7)

    @Override
    public RingRegisters txRing(int q) {
        return txRings[q];
    }

    @Override
    public boolean queueEnabled(int q) {
        return true; // TARC.ENABLE is checked where TDT and TCTL are written
    }

    @Override
    public boolean contextDescriptor(int lower) {
        return (lower & (TxDescriptor.CMD_DEXT | TxDescriptor.DTYP_DATA)) == TxDescriptor.CMD_DEXT;
    }

    /**
     * TCP/IP context descriptor (datasheet 7.2.10.2; docs/hardware-reference.md B.15, B.17): IPCSS, IPCSO, IPCSE in
     * bytes 0-3, TUCSS, TUCSO, TUCSE in bytes 4-7, TUCMD.TCP in the lower dword's bit 24 (else UDP); for TCP
     * segmentation PAYLEN in the lower dword, TUCMD.IP and TUCMD.TSE, HDRLEN and MSS in the upper.
     */
    @Override
    public void readContext(long desc, ChecksumOffload.Context c) {
        int ip = core.dma.read32(desc, "tx-context");
        int tu = core.dma.read32(desc + 4, "tx-context");
        int lower = core.dma.read32(desc + TxDescriptor.LOWER, "tx-context");
        c.ipcss = ip & 0xFF;
        c.ipcso = ip >>> 8 & 0xFF;
        c.ipcse = ip >>> 16;
        c.tucss = tu & 0xFF;
        c.tucso = tu >>> 8 & 0xFF;
        c.tucse = tu >>> 16;
        c.udp = (lower & TxDescriptor.TUCMD_TCP) == 0;
        c.ipv4 = true;
        int upper = core.dma.read32(desc + TxDescriptor.UPPER, "tx-context");
        c.paylen = lower & TxDescriptor.PAYLEN_MASK;
        c.segmentIpv4 = (lower & TxDescriptor.TUCMD_IP) != 0;
        c.hdrlen = upper >>> 8 & 0xFF;
        c.mss = (lower & TxDescriptor.TUCMD_TSE) != 0 ? upper >>> 16 : 0;
        c.valid = true;
    }

    /** An extended data descriptor with DCMD.TSE segments the context's PAYLEN. */
    @Override
    public int segmentationPayload(int lower, int upper, ChecksumOffload.Context c) {
        int tse = TxDescriptor.CMD_DEXT | TxDescriptor.DTYP_DATA | TxDescriptor.DCMD_TSE;
        return (lower & tse) == tse ? c.paylen : -1;
    }

    /** POPTS (upper dword bits 15:8) of an extended data descriptor; a legacy descriptor has none here. */
    @Override
    public int checksumOptions(int lower, int upper) {
        int extendedData = TxDescriptor.CMD_DEXT | TxDescriptor.DTYP_DATA;
        if ((lower & extendedData) != extendedData) {
            return 0;
        }
        return upper >>> 8 & (ChecksumOffload.POPTS_IXSM | ChecksumOffload.POPTS_TXSM);
    }

    @Override
    public boolean endOfPacket(int lower) {
        return (lower & TxDescriptor.CMD_EOP) != 0;
    }

    @Override
    public boolean insertFcs(int lower) {
        return (lower & TxDescriptor.CMD_IFCS) != 0;
    }

    @Override
    public boolean macLoopback(int rctl) {
        return (rctl & Rctl.LBM_MAC) != 0;
    }

    /** Write-back only with RS or IVAR.TX_INT_EVERY_WB (QEMU e1000e_txdesc_writeback, docs/hardware-reference.md B.7.1). */
    @Override
    public long descriptorDone(int q, long desc, int lower, int upper) {
        if ((lower & TxDescriptor.CMD_RS) == 0 && (mac[IVAR >> 2] & Ivar.TX_INT_EVERY_WB) == 0) {
            return 0;
        }
        core.dma.write32(desc + TxDescriptor.UPPER, upper | TxDescriptor.STA_DD, "tx-writeback");
        return interrupts.msix() ? (q == 0 ? Icr.TXQ0 : Icr.TXQ1) : Icr.TXDW;
    }

    @Override
    public void setDone(long desc) {
        core.dma.write32(desc + TxDescriptor.UPPER, core.dma.read32(desc + TxDescriptor.UPPER, "tx-descriptor")
                | TxDescriptor.STA_DD, "tx-writeback");
    }

    /** TXQE at the end of every walk, with the write-back causes (ICR bits). */
    @Override
    public void transmitDone(int q, long causes) {
        interrupts.setInterruptCause(Icr.TXQE | (int) causes);
    }

    // ------------------------------------------------------------------ receive (docs/hardware-reference.md B.4, B.6, B.7)

    /** The queue RSS names for the frame (docs/hardware-reference.md B.18); its hash is kept for the write-back. */
    @Override
    public int receiveQueue(byte[] frame, int size) {
        rss.classify(frame, size);
        if (rss.enabled && rss.type != 0 && core.has(IntelFault.RSS_WRONG_QUEUE)) {
            return rss.queue ^ 1;                            // the other ring (the write-back keeps RETA's queue)
        }
        return rss.queue;
    }

    @Override
    public RingRegisters rxRing(int q) {
        return rxRings[q];
    }

    @Override
    public boolean loopbackNeedsLink() {
        return false;
    }

    @Override
    public boolean oversized(byte[] frame, int size, int rctl) {
        return size > MAX_JUMBO || (size > MAX_STANDARD && (rctl & Rctl.LPE) == 0); // QEMU e1000x_is_oversized
    }

    @Override
    public boolean rxQueueEnabled(int q) {
        return true;
    }

    @Override
    public boolean deliveryBlocked(int q) {
        return false;
    }

    /** Receive FIFO capacity in bytes: PBA.RXA KiB. */
    @Override
    public long packetBufferBytes() {
        return (long) (mac[PBA >> 2] & 0xFFFF) * 1024;
    }

    /** Buffer size per descriptor from RCTL.BSIZE/BSEX or FLXBUF (QEMU e1000x_rxbufsize, e1000e_parse_rxbufsize). */
    @Override
    public int bufferSize(int q) {
        int rctl = mac[RCTL >> 2];
        int flx = (rctl & Rctl.FLXBUF_MASK) >>> Rctl.FLXBUF_SHIFT;
        if (flx != 0) {
            return flx * 1024;
        }
        return E1000xRx.bufferSize(rctl);
    }

    @Override
    public void writeBack(long desc, boolean last, int length, int checksum) {
        int status = RxDescriptor.STA_DD | (last ? RxDescriptor.STA_EOP : 0) | (checksum & 0xFF);
        if ((mac[RFCTL >> 2] & RFCTL_EXTEN) != 0) {
            core.dma.write64(desc, last ? extendedLower() : 0, "rx-writeback");
            if (last && !rss.enabled && rss.ipId >= 0) {
                status |= RxDescriptor.STA_IPIDV;
            }
            core.dma.write32(desc + RxDescriptor.EXT_STATUS_ERROR, status | (checksum & 0xFF00_0000), "rx-writeback");
            core.dma.write32(desc + RxDescriptor.EXT_LENGTH, length & 0xFFFF, "rx-writeback");
        } else {
            // length, checksum 0, status, errors (IPE and TCPE at the extended errors' bits >>> 24), special 0
            core.dma.write32(desc + RxDescriptor.LENGTH, length & 0xFFFF, "rx-writeback");
            core.dma.write32(desc + RxDescriptor.STATUS, status | (checksum >>> 24) << 8, "rx-writeback");
        }
    }

    /**
     * Dwords 0 and 1 of the extended write-back of a frame's last descriptor (docs/hardware-reference.md
     * B.18): with RSS on (which needs RXCSUM.PCSD) MRQ and the hash; without PCSD the IPv4 identification,
     * the packet checksum beside it left 0 (as QEMU); with PCSD and RSS off, nothing.
     */
    private long extendedLower() {
        if (rss.enabled) {
            int hash = core.has(IntelFault.RSS_BAD_HASH) && rss.type != 0 ? rss.hash ^ 1 : rss.hash;
            int mrq = rss.type | rss.queue << RxDescriptor.MRQ_QUEUE_SHIFT;
            return (mrq & 0xFFFFFFFFL) | (long) hash << 32;
        }
        if ((mac[RXCSUM >> 2] & RXCSUM_PCSD) == 0 && rss.ipId >= 0) {
            return (long) rss.ipId << 32;
        }
        return 0;
    }

    @Override
    public int rxcsum() {
        return mac[RXCSUM >> 2];
    }

    @Override
    public void delivered(int q, int free, int count) {
        int cause;
        if (interrupts.msix()) {
            cause = q == 0 ? Icr.RXQ0 : Icr.RXQ1;
        } else {
            int shift = ((mac[RCTL >> 2] & Rctl.RDMTS_MASK) >>> Rctl.RDMTS_SHIFT) + 1;
            cause = Icr.RXT0 | (free == count >> shift ? Icr.RXDMT0 : 0);
        }
        interrupts.setInterruptCause(cause);
    }

    @Override
    public void overrun() {
        interrupts.setInterruptCause(Icr.RXO);
    }
}
