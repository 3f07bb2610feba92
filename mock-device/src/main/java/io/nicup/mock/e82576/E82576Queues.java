package io.nicup.mock.e82576;

import io.nicup.mock.intel.ChecksumOffload;
import io.nicup.mock.intel.E1000xRx;
import io.nicup.mock.intel.IntelCore;
import io.nicup.mock.intel.IntelFault;
import io.nicup.mock.intel.IntelCounter;
import io.nicup.mock.intel.IntelReceiver;
import io.nicup.mock.intel.IntelTransmitter;
import io.nicup.mock.intel.RingRegisters;

import static io.nicup.mock.e82576.Regs.*;

/**
 * The 82576's sixteen transmit and sixteen receive queues as the shared engines see them (QEMU igb):
 * advanced descriptors ({@link TxDesc}, {@link RxDesc}), the queue enables (TXDCTL/RXDCTL.ENABLE),
 * SRRCTL buffer sizes and RLPML, and the causes: TXDW and RXDW/RXDMT0 in ICR, and with MSI-X the
 * queue's EICR bit from IVAR0-7. A received frame goes to the queue RSS picks ({@link E82576Rss}; queue 0
 * with MRQC 0); VMDq is not modelled.
 */
final class E82576Queues implements IntelTransmitter.Chip, IntelReceiver.Chip {

    /** Largest frame (without FCS) of the transmit path (QEMU: 64 fragments; 16 KiB here). */
    static final int MAX_FRAME = 16 * 1024;
    /** In what {@link #descriptorDone} returns: a descriptor was written back. */
    private static final long WRITTEN_BACK = 1L << 32;

    private final IntelCore core;
    private final int[] mac;
    private final E82576Interrupts interrupts;
    private final RingRegisters[] txRings = new RingRegisters[QUEUES];
    private final RingRegisters[] rxRings = new RingRegisters[QUEUES];
    private final E82576Rss rss;

    E82576Queues(IntelCore core, E82576Interrupts interrupts) {
        this.core = core;
        this.mac = core.regs;
        this.interrupts = interrupts;
        this.rss = new E82576Rss(mac);
        for (int q = 0; q < QUEUES; q++) {
            txRings[q] = new RingRegisters(tdbal(q), tdbah(q), tdlen(q), tdh(q), tdt(q));
            rxRings[q] = new RingRegisters(rdbal(q), rdbah(q), rdlen(q), rdh(q), rdt(q));
        }
    }

    // ------------------------------------------------------------------ transmit (QEMU igb_start_xmit)

    @Override
    public RingRegisters txRing(int q) {
        return txRings[q];
    }

    @Override
    public boolean queueEnabled(int q) {
        return (mac[txdctl(q) >> 2] & QUEUE_ENABLE) != 0;
    }

    /** An offload context descriptor: counted and skipped (offloads are not modelled). */
    @Override
    public boolean contextDescriptor(int cmdTypeLen) {
        if ((cmdTypeLen & TxDesc.DEXT) != 0 && (cmdTypeLen & TxDesc.DTYP_MASK) == TxDesc.DTYP_CTXT) {
            core.count(IntelCounter.TX_CONTEXT_DESCRIPTORS);
            return true;
        }
        return false;
    }

    /**
     * Advanced context descriptor (datasheet 7.2.2.2; docs/hardware-reference.md B.15): MACLEN and IPLEN in
     * vlan_macip_lens, TUCMD.IPV4 and L4T in type_tucmd_mlhl; the offsets follow from them (IP header
     * checksum at MACLEN + 10, TCP's at +16 and UDP's at +6 into the L4 header, sums to the frame's end).
     * For TCP segmentation (docs/hardware-reference.md B.17) MSS and L4LEN in mss_l4len_idx. One context per
     * queue: IDX is not modelled.
     */
    @Override
    public void readContext(long desc, ChecksumOffload.Context c) {
        int lens = core.dma.read32(desc, "tx-context");
        int tucmd = core.dma.read32(desc + TxDesc.CMD_TYPE_LEN, "tx-context");
        int iplen = lens & 0x1FF;
        int maclen = lens >>> 9 & 0x7F;
        boolean tcp = (tucmd & TxDesc.L4T_MASK) == TxDesc.L4T_TCP;
        c.ipv4 = (tucmd & TxDesc.TUCMD_IPV4) != 0;
        c.ipcss = maclen;
        c.ipcso = maclen + 10;
        c.ipcse = maclen + iplen - 1;
        c.tucss = maclen + iplen;
        c.tucso = c.tucss + (tcp ? 16 : 6);
        c.tucse = 0;
        c.udp = (tucmd & TxDesc.L4T_MASK) == 0;
        int mssL4len = core.dma.read32(desc + TxDesc.MSS_L4LEN_IDX, "tx-context");
        c.segmentIpv4 = c.ipv4;
        c.hdrlen = maclen + iplen + (mssL4len >>> 8 & 0xFF);
        c.mss = mssL4len >>> 16;
        c.valid = true;
    }

    /** An advanced data descriptor with DCMD.TSE segments its PAYLEN (docs/hardware-reference.md B.17). */
    @Override
    public int segmentationPayload(int cmdTypeLen, int olinfo, ChecksumOffload.Context c) {
        return (cmdTypeLen & TxDesc.TSE) != 0 ? olinfo >>> TxDesc.PAYLEN_SHIFT : -1;
    }

    /** POPTS (olinfo_status bits 13:8) of an advanced data descriptor. */
    @Override
    public int checksumOptions(int cmdTypeLen, int olinfo) {
        return olinfo >>> 8 & (ChecksumOffload.POPTS_IXSM | ChecksumOffload.POPTS_TXSM);
    }

    @Override
    public boolean endOfPacket(int cmdTypeLen) {
        return (cmdTypeLen & TxDesc.EOP) != 0;
    }

    @Override
    public boolean insertFcs(int cmdTypeLen) {
        return (cmdTypeLen & TxDesc.IFCS) != 0;
    }

    /** QEMU igb_tx_pkt_send: RCTL.LBM = MAC loops back to igb_receive_internal. */
    @Override
    public boolean macLoopback(int rctl) {
        return (rctl & Rctl.LBM_MASK) == Rctl.LBM_MAC;
    }

    /** With RS the status is written back, and the queue's IVAR entry names its EICR bit. */
    @Override
    public long descriptorDone(int q, long desc, int cmdTypeLen, int olinfo) {
        if ((cmdTypeLen & TxDesc.RS) == 0) {
            return 0;
        }
        core.dma.write32(desc + TxDesc.WB_STATUS, olinfo | TxDesc.STA_DD, "tx-writeback");
        int entry = mac[(IVAR0 >> 2) + (q & 7)] >>> ((q & 8) << 1) + 8 & 0xFF;
        return WRITTEN_BACK | E82576Interrupts.eicrBit(entry) & 0xFFFFFFFFL;
    }

    @Override
    public void setDone(long desc) {
        core.dma.write32(desc + TxDesc.WB_STATUS, core.dma.read32(desc + TxDesc.WB_STATUS, "tx-descriptor")
                | TxDesc.STA_DD, "tx-writeback");
    }

    @Override
    public void transmitDone(int q, long done) {
        if ((done & WRITTEN_BACK) == 0) {
            return;
        }
        int eic = (int) done;
        if (eic != 0 && interrupts.msixMode()) {
            interrupts.raise(EICR, eic);
        }
        interrupts.raise(ICR, Icr.TXDW);
    }

    // ------------------------------------------------------------------ receive (QEMU igb_receive_internal)

    /** The queue RSS names for the frame (docs/hardware-reference.md B.16); its hash is kept for the write-back. */
    @Override
    public int receiveQueue(byte[] frame, int size) {
        rss.classify(frame, size);
        if (rss.hash != 0 && core.has(IntelFault.RSS_WRONG_QUEUE)) {
            for (int k = 1; k < QUEUES; k++) {               // the next enabled queue after RETA's, wrapping
                int q = (rss.queue + k) % QUEUES;
                if (rxQueueEnabled(q)) {
                    return q;
                }
            }
        }
        return rss.queue;
    }

    @Override
    public RingRegisters rxRing(int q) {
        return rxRings[q];
    }

    /** Looped frames need STATUS.LU too, as in QEMU. */
    @Override
    public boolean loopbackNeedsLink() {
        return true;
    }

    /** QEMU igb_rx_is_oversized: with LPE the limit is RLPML (with FCS), else 1500 bytes of payload. */
    @Override
    public boolean oversized(byte[] f, int size, int rctl) {
        boolean vlan = ((f[12] & 0xFF) << 8 | f[13] & 0xFF) == (mac[VET >> 2] & 0xFFFF);
        if ((rctl & Rctl.LPE) != 0) {
            return size + 4 > (mac[RLPML >> 2] & 0x3FFF);
        }
        return size > 14 + (vlan ? 4 : 0) + 1500;
    }

    @Override
    public boolean rxQueueEnabled(int q) {
        return (mac[rxdctl(q) >> 2] & QUEUE_ENABLE) != 0;
    }

    /** RQDPC[q] counts the frames a disabled queue dropped (docs/hardware-reference.md B.16). */
    @Override
    public void droppedForDisabledQueue(int q) {
        core.stats.increment(rqdpc(q));
    }

    @Override
    public boolean deliveryBlocked(int q) {
        return !core.linkUp() || !rxQueueEnabled(q);
    }

    /** The packet buffer: RXPBS KiB. */
    @Override
    public long packetBufferBytes() {
        return (long) (mac[RXPBS >> 2] & 0x7F) * 1024;
    }

    /** QEMU igb_rxbufsize: SRRCTL.BSIZEPKT in KB, else RCTL's size. */
    @Override
    public int bufferSize(int q) {
        int bsizepkt = mac[srrctl(q) >> 2] & SRRCTL_BSIZEPKT_MASK;
        if (bsizepkt != 0) {
            return bsizepkt << 10;
        }
        return E1000xRx.bufferSize(mac[RCTL >> 2]);
    }

    /**
     * Advanced write-back: the descriptor with DD clear, then status_error with DD (igb_pci_dma_write_rx_desc).
     * Dword 0 carries the RSS type and packet type, dword 1 the RSS hash with RXCSUM.PCSD (else the fragment
     * checksum, which is not modelled: 0); docs/hardware-reference.md B.16.
     */
    @Override
    public void writeBack(long desc, boolean last, int length, int checksum) {
        int status = RxDesc.STAT_DD | (last ? RxDesc.STAT_EOP : 0) | checksum;
        long lower = (rss.typeDword & 0xFFFFFFFFL) | (rss.hashReported ? (long) rss.hash << 32 : 0);
        core.dma.write64(desc + RxDesc.WB_LOWER, lower, "rx-writeback");
        core.dma.write32(desc + RxDesc.WB_STATUS_ERROR, 0, "rx-writeback");
        core.dma.write32(desc + RxDesc.WB_LENGTH, length & 0xFFFF, "rx-writeback");
        core.dma.write32(desc + RxDesc.WB_STATUS_ERROR, status, "rx-writeback");
    }

    @Override
    public int rxcsum() {
        return mac[RXCSUM >> 2];
    }

    /**
     * RXDW, RXDMT0 at the queue's SRRCTL.RDMTS threshold, and with MSI-X the queue's EICR bit from its
     * receive entry in IVAR0-7 (queue q: IVAR[q &amp; 7], bits 7:0 below queue 8, bits 23:16 from it).
     */
    @Override
    public void delivered(int q, int free, int count) {
        int causes = Icr.RXDW;
        int threshold = (mac[srrctl(q) >> 2] >>> SRRCTL_RDMTS_SHIFT & 31) * 16;
        if (free == threshold) {
            causes |= Icr.RXDMT0;
        }
        int eic = E82576Interrupts.eicrBit(mac[(IVAR0 >> 2) + (q & 7)] >>> ((q & 8) << 1) & 0xFF);
        if (interrupts.msixMode() && eic != 0) {
            interrupts.raise(EICR, eic);
        }
        interrupts.raise(ICR, causes);
    }

    @Override
    public void overrun() {
        interrupts.raise(ICR, Icr.RXO);
    }
}
