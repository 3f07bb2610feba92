package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.MacAddress;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.RegisterSpace;

/**
 * The chip procedures the Intel adapter calls the same way on the 82574L and the 82576: register access,
 * quiesce and reset, the NVM, receive addresses and the multicast table, link set-up and state. Each
 * chip's hardware class implements them from its own datasheet; register timeouts throw
 * {@link io.nicup.vfio.RegisterTimeoutException}, MDIC errors {@link PhyAccessException}.
 */
public interface IntelHardware extends LinkTest.LinkStatus {

    RegisterSpace regs();

    /** The device's clock, for deadlines. */
    DeviceClock clock();

    int read(int offset);

    void write(int offset, int value);

    /** The offset of STATUS. */
    int statusRegister();

    /** Posted writes reach the chip (a read of STATUS). */
    void flush();

    /** Masks interrupts and stops the receiver and transmitter, waiting for pending DMA (GIO master disable). */
    void quiesce();

    /** CTRL.RST and the wait for the NVM auto-read. */
    void reset();

    /** The sum of NVM words 0x00-0x3F ({@link NvmWords#SUM} when the image is valid). */
    int nvmChecksum();

    /** One NVM word through EERD (a RegisterTimeoutException when EERD.DONE never comes). */
    int readNvm(int word);

    /** One PHY register over MDIC (a PhyAccessException on MDIC.ERROR). */
    int readPhy(int reg);

    /** The permanent MAC address. */
    MacAddress readPermanentMac();

    /** Receive address entries (RAL/RAH pairs). */
    int receiveAddresses();

    /** Entries of the multicast table array. */
    int multicastTableEntries();

    /** Receive address {@code index} set to {@code mac} and valid, or invalid when {@code mac} is null. */
    void setReceiveAddress(int index, MacAddress mac);

    /** The multicast table from the first {@code count} addresses of {@code addresses}. */
    void writeMulticastTable(byte[] addresses, int count, int[] scratch);

    /** Receive address {@code index} when valid, else null. */
    MacAddress receiveAddress(int index);

    /** MAC loopback (RCTL.LBM) on or off. */
    void setMacLoopback(boolean on);

    /** Copper link set-up for {@code *SpeedDuplex}. */
    void setUpLink(int speedDuplex);
}
