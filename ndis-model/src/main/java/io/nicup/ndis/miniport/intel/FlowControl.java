package io.nicup.ndis.miniport.intel;

import java.util.function.IntSupplier;

/**
 * IEEE 802.3x flow control as Linux programs it in its link set-up ({@code e1000e_setup_link_generic},
 * {@code igb_setup_link}; {@code e1000e_set_fc_watermarks}, {@code igb_set_fc_watermarks}; {@code
 * e1000e_force_mac_fc}, {@code igb_force_mac_fc}), from the standardized {@code *FlowControl} keyword. The
 * registers, bits and values are the same on the 82574L and the 82576 (docs/hardware-reference.md B.14); what
 * differs is the chip's {@link Profile}: the pause time it asks for and how it places the receive watermarks.
 *
 * <p>{@code *FlowControl} 4 (auto-negotiation) asks for full flow control, as Linux's {@code e1000_fc_default}
 * does; the ability resolved with the link partner is not read back (the simulated partner is QEMU's, which
 * advertises symmetric and asymmetric pause, so the resolution would give full).
 */
public final class FlowControl {

    /** Flow Control Address Low/High: the PAUSE destination 01:80:C2:00:00:01. */
    public static final int FCAL = 0x00028;
    public static final int FCAH = 0x0002C;
    /** Flow Control Type: the MAC control EtherType. */
    public static final int FCT = 0x00030;
    /** Flow Control Transmit Timer Value: pause_time of the PAUSE frames the MAC sends. */
    public static final int FCTTV = 0x00170;
    /** Flow Control Receive Threshold Low (with XONE) and High. */
    public static final int FCRTL = 0x02160;
    public static final int FCRTH = 0x02168;

    public static final int FCAL_PAUSE = 0x00C2_8001;
    public static final int FCAH_PAUSE = 0x0000_0100;
    public static final int FCT_MAC_CONTROL = 0x8808;
    /** FCRTL.XONE: send XON (a PAUSE of 0) when the receive buffer drains below the low threshold. */
    public static final int FCRTL_XONE = 0x8000_0000;
    /** The widest threshold FCRTH holds (RTH, bits 15:3 on the 82574L; the 82576 stores the same 16 bits). */
    private static final int RTH_MAX = 0xFFF8;
    /** CTRL.RFCE: honour received PAUSE frames; CTRL.TFCE: send them. */
    public static final int CTRL_RFCE = 0x0800_0000;
    public static final int CTRL_TFCE = 0x1000_0000;

    /** The modes, in {@code *FlowControl}'s numbering (0 disabled, 1 Tx, 2 Rx, 3 Rx and Tx, 4 auto-negotiation). */
    public enum Mode {
        NONE(false, false), TX_PAUSE(false, true), RX_PAUSE(true, false), FULL(true, true);

        /** The MAC stops for received PAUSE frames (CTRL.RFCE). */
        public final boolean honoursPause;
        /** The MAC sends PAUSE frames when its receive buffer fills (CTRL.TFCE). */
        public final boolean sendsPause;

        Mode(boolean honoursPause, boolean sendsPause) {
            this.honoursPause = honoursPause;
            this.sendsPause = sendsPause;
        }

        public static Mode ofKeyword(int value) {
            return switch (value) {
                case 0 -> NONE;
                case 1 -> TX_PAUSE;
                case 2 -> RX_PAUSE;
                default -> FULL;
            };
        }
    }

    /**
     * What a chip's Linux driver sets in its reset ({@code e1000e_reset}, {@code igb_reset}).
     *
     * @param ctrl the offset of CTRL
     * @param pauseTime FCTTV: e1000e's {@code E1000_FC_PAUSE_TIME} 0x0680, igb's 0xFFFF
     * @param granularity the high watermark's alignment in bytes (e1000e 8, igb 16); low = high - granularity
     * @param headroomFrames largest frames kept free above the high watermark (e1000e 1, igb 2)
     * @param rxBufferKib the receive packet buffer in KiB as the chip reports it (82574L PBA, 82576 RXPBS)
     */
    public record Profile(int ctrl, int pauseTime, int granularity, int headroomFrames, IntSupplier rxBufferKib) {
    }

    private FlowControl() {
    }

    /**
     * Programs flow control for {@code mode} and frames up to {@code maxFrame} bytes with FCS: the PAUSE address
     * and type, the pause time, the watermarks (zero unless the MAC sends PAUSE frames) and CTRL.RFCE/TFCE.
     */
    public static void program(IntelHardware hw, Profile chip, Mode mode, int maxFrame) {
        hw.write(FCAL, FCAL_PAUSE);
        hw.write(FCAH, FCAH_PAUSE);
        hw.write(FCT, FCT_MAC_CONTROL);
        hw.write(FCTTV, chip.pauseTime());
        int low = 0;
        int high = 0;
        if (mode.sendsPause) {
            long buffer = (long) chip.rxBufferKib().getAsInt() << 10;
            long hwm = Math.min(buffer * 9 / 10, buffer - (long) chip.headroomFrames() * maxFrame);
            if (hwm > 2L * chip.granularity() && hwm <= RTH_MAX) {   // a buffer too small (or absurd): no XOFF
                high = (int) hwm & -chip.granularity();
                low = (high - chip.granularity()) | FCRTL_XONE;
            }
        }
        hw.write(FCRTL, low);
        hw.write(FCRTH, high);
        int ctrl = hw.read(chip.ctrl()) & ~(CTRL_RFCE | CTRL_TFCE);
        hw.write(chip.ctrl(), ctrl | (mode.honoursPause ? CTRL_RFCE : 0) | (mode.sendsPause ? CTRL_TFCE : 0));
    }
}
