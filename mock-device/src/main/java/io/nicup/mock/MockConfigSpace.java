package io.nicup.mock;

import io.nicup.vfio.ConfigSpace;

import java.util.function.BooleanSupplier;

/**
 * A PCI Express configuration space (4 KiB) for a simulated function: a byte image with per-bit
 * write masks, as QEMU keeps it ({@code config}, {@code wmask}, {@code w1cmask} in hw/pci/pci.c).
 * A written bit changes only where its write mask is set; a bit in the write-one-to-clear mask is
 * cleared by writing one. BAR sizing works through the masks: the address bits below the BAR size are
 * read-only zeros, so writing all ones reads back the size mask.
 *
 * <p>The MSI and MSI-X enable bits are not writable here: as with vfio-pci, which virtualises them,
 * they change only when interrupts are armed through {@link MockInterrupts}.
 *
 * <p>A device model builds the image through the {@code init*} and {@code set*} methods and hears about
 * writes through a {@link WriteListener}. While the function is "surprise-removed"
 * ({@code allOnes} supplier), every read returns all ones and writes are dropped.
 */
public final class MockConfigSpace implements ConfigSpace {

    /** PCI Express extended configuration space size. */
    public static final int SIZE = 4096;

    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION = 0x08;
    public static final int CLASS_PROG = 0x09;
    public static final int CACHE_LINE_SIZE = 0x0C;
    public static final int HEADER_TYPE = 0x0E;
    public static final int BAR0 = 0x10;
    public static final int SUBSYSTEM_VENDOR_ID = 0x2C;
    public static final int SUBSYSTEM_ID = 0x2E;
    public static final int CAPABILITIES_POINTER = 0x34;
    public static final int INTERRUPT_LINE = 0x3C;
    public static final int INTERRUPT_PIN = 0x3D;

    /** Command register bits (PCI Local Bus Specification 3.0, 6.2.2). */
    public static final int COMMAND_IO = 0x1;
    public static final int COMMAND_MEMORY = 0x2;
    public static final int COMMAND_BUS_MASTER = 0x4;
    public static final int COMMAND_PARITY = 0x40;
    public static final int COMMAND_SERR = 0x100;
    public static final int COMMAND_INTX_DISABLE = 0x400;
    /** Status register: capabilities list present. */
    public static final int STATUS_CAP_LIST = 0x10;

    public static final int CAP_ID_PM = 0x01;
    public static final int CAP_ID_MSI = 0x05;
    public static final int CAP_ID_PCIE = 0x10;
    public static final int CAP_ID_MSIX = 0x11;
    public static final int EXT_CAP_ID_AER = 0x0001;
    public static final int EXT_CAP_ID_DSN = 0x0003;

    /** MSI message control: enable (bit 0); MSI-X message control: enable (bit 15), function mask (bit 14). */
    public static final int MSI_FLAGS_ENABLE = 0x1;
    public static final int MSIX_FLAGS_ENABLE = 0x8000;
    public static final int MSIX_FLAGS_MASKALL = 0x4000;

    /** Told about every config write that reached the image (after masking). */
    @FunctionalInterface
    public interface WriteListener {
        void written(int offset, int length, int oldValue, int newValue);
    }

    private final byte[] data = new byte[SIZE];
    private final byte[] wmask = new byte[SIZE];
    private final byte[] w1cmask = new byte[SIZE];
    private BooleanSupplier allOnes = () -> false;
    private WriteListener listener = (o, l, a, b) -> { };
    private int lastCap;
    private int lastExtCap;

    public void setAllOnesWhen(BooleanSupplier allOnes) {
        this.allOnes = allOnes;
    }

    public void setWriteListener(WriteListener listener) {
        this.listener = listener;
    }

    // ------------------------------------------------------------------ ConfigSpace

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public int read8(int offset) {
        check(offset, 1);
        return allOnes.getAsBoolean() ? 0xFF : raw(offset, 1);
    }

    @Override
    public int read16(int offset) {
        check(offset, 2);
        return allOnes.getAsBoolean() ? 0xFFFF : raw(offset, 2);
    }

    @Override
    public int read32(int offset) {
        check(offset, 4);
        return allOnes.getAsBoolean() ? 0xFFFFFFFF : raw(offset, 4);
    }

    @Override
    public void write8(int offset, int value) {
        write(offset, 1, value);
    }

    @Override
    public void write16(int offset, int value) {
        write(offset, 2, value);
    }

    @Override
    public void write32(int offset, int value) {
        write(offset, 4, value);
    }

    private void write(int offset, int length, int value) {
        check(offset, length);
        if (allOnes.getAsBoolean()) {
            return;
        }
        int old = raw(offset, length);
        for (int i = 0; i < length; i++) {
            int b = (value >>> (8 * i)) & 0xFF;
            int at = offset + i;
            int w = wmask[at] & 0xFF;
            int c = w1cmask[at] & 0xFF;
            int cur = data[at] & 0xFF;
            cur = (cur & ~w) | (b & w);
            cur &= ~(b & c);
            data[at] = (byte) cur;
        }
        listener.written(offset, length, old, raw(offset, length));
    }

    private static void check(int offset, int length) {
        if (offset < 0 || offset > SIZE - length) {
            throw new IndexOutOfBoundsException("config access out of range: offset=0x" + Integer.toHexString(offset)
                    + " length=" + length + " size=" + SIZE);
        }
        if ((offset & (length - 1)) != 0) {
            throw new IllegalArgumentException("unaligned config access: offset=0x" + Integer.toHexString(offset)
                    + " length=" + length);
        }
    }

    // ------------------------------------------------------------------ device side

    /** The stored value, ignoring the all-ones state. */
    public int raw(int offset, int length) {
        int v = 0;
        for (int i = length - 1; i >= 0; i--) {
            v = (v << 8) | (data[offset + i] & 0xFF);
        }
        return v;
    }

    /** Sets bytes directly (device-side update, no masks, no listener). */
    public void set(int offset, int length, int value) {
        for (int i = 0; i < length; i++) {
            data[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    public void setWriteMask(int offset, int length, int mask) {
        for (int i = 0; i < length; i++) {
            wmask[offset + i] = (byte) (mask >>> (8 * i));
        }
    }

    public void setW1cMask(int offset, int length, int mask) {
        for (int i = 0; i < length; i++) {
            w1cmask[offset + i] = (byte) (mask >>> (8 * i));
        }
    }

    /** Type 0 header: IDs, class, subsystem, interrupt pin, and the writable command bits. */
    public void initHeader(int vendor, int device, int classCode, int revision, int subsystemVendor,
            int subsystem, int interruptPin) {
        set(VENDOR_ID, 2, vendor);
        set(DEVICE_ID, 2, device);
        set(REVISION, 1, revision);
        set(CLASS_PROG, 3, classCode);
        set(SUBSYSTEM_VENDOR_ID, 2, subsystemVendor);
        set(SUBSYSTEM_ID, 2, subsystem);
        set(INTERRUPT_PIN, 1, interruptPin);
        setWriteMask(COMMAND, 2, COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER | COMMAND_PARITY
                | COMMAND_SERR | COMMAND_INTX_DISABLE);
        setW1cMask(STATUS, 2, 0xF900);
        setWriteMask(CACHE_LINE_SIZE, 1, 0xFF);
        setWriteMask(INTERRUPT_LINE, 1, 0xFF);
    }

    /** A 32-bit BAR of {@code size} bytes (a power of two) at {@code address}. */
    public void initBar(int index, long size, boolean memory, int address) {
        int offset = BAR0 + 4 * index;
        int flags = memory ? 0 : 0x1;
        int mask = (int) ~(size - 1) & (memory ? 0xFFFFFFF0 : 0xFFFFFFFC);
        set(offset, 4, (address & mask) | flags);
        setWriteMask(offset, 4, mask);
    }

    /** Appends a capability of {@code length} bytes with {@code id} at {@code offset} to the chain. */
    public void addCapability(int id, int offset, int length) {
        if (lastCap == 0) {
            set(CAPABILITIES_POINTER, 1, offset);
            set(STATUS, 2, raw(STATUS, 2) | STATUS_CAP_LIST);
        } else {
            set(lastCap + 1, 1, offset);
        }
        set(offset, 1, id);
        set(offset + 1, 1, 0);
        lastCap = offset;
    }

    /** Appends an extended capability (offset 0x100 or above) to the extended chain. */
    public void addExtendedCapability(int id, int version, int offset) {
        if (lastExtCap != 0) {
            int header = raw(lastExtCap, 4);
            set(lastExtCap, 4, (header & 0x000FFFFF) | (offset << 20));
        } else if (offset != 0x100) {
            throw new IllegalArgumentException("the first extended capability lives at 0x100: offset=0x"
                    + Integer.toHexString(offset));
        }
        set(offset, 4, (version << 16) | id);
        lastExtCap = offset;
    }

    /** Offset of the first capability with {@code id}, 0 when absent. Walks the chain as a driver would. */
    public int findCapability(int id) {
        int at = raw(CAPABILITIES_POINTER, 1) & 0xFC;
        for (int guard = 0; at != 0 && guard < 48; guard++) {
            if (raw(at, 1) == id) {
                return at;
            }
            at = raw(at + 1, 1) & 0xFC;
        }
        return 0;
    }

    public boolean busMaster() {
        return (raw(COMMAND, 2) & COMMAND_BUS_MASTER) != 0;
    }

    public boolean intxDisabled() {
        return (raw(COMMAND, 2) & COMMAND_INTX_DISABLE) != 0;
    }

    /** Sets or clears command-register bits as the platform would (VFIO or the device itself). */
    public void setCommandBits(int bits, boolean on) {
        int old = raw(COMMAND, 2);
        int now = on ? old | bits : old & ~bits;
        set(COMMAND, 2, now);
        if (old != now) {
            listener.written(COMMAND, 2, old, now);
        }
    }

    public boolean msixEnabled() {
        int cap = findCapability(CAP_ID_MSIX);
        if (cap == 0) {
            return false;
        }
        int flags = raw(cap + 2, 2);
        return (flags & MSIX_FLAGS_ENABLE) != 0 && (flags & MSIX_FLAGS_MASKALL) == 0;
    }

    public boolean msiEnabled() {
        int cap = findCapability(CAP_ID_MSI);
        return cap != 0 && (raw(cap + 2, 2) & MSI_FLAGS_ENABLE) != 0;
    }

    /** Sets the MSI-X enable bit, as vfio-pci does when MSI-X vectors are armed. */
    public void setMsixEnabled(boolean on) {
        int cap = findCapability(CAP_ID_MSIX);
        if (cap != 0) {
            int flags = raw(cap + 2, 2);
            set(cap + 2, 2, on ? flags | MSIX_FLAGS_ENABLE : flags & ~(MSIX_FLAGS_ENABLE | MSIX_FLAGS_MASKALL));
        }
    }

    /** Sets the MSI enable bit and the number of enabled vectors (log2), as vfio-pci does. */
    public void setMsiEnabled(boolean on, int vectors) {
        int cap = findCapability(CAP_ID_MSI);
        if (cap != 0) {
            int flags = raw(cap + 2, 2) & ~0x71;
            if (on) {
                flags |= MSI_FLAGS_ENABLE | ((31 - Integer.numberOfLeadingZeros(Math.max(1, vectors))) << 4);
            }
            set(cap + 2, 2, flags);
        }
    }
}
