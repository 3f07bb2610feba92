package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.adapter.AllocatedResources;
import io.nicup.ndis.miniport.core.OffloadKeywords;
import io.nicup.ndis.miniport.core.ReceiveQueueCount;

/**
 * How many receive queues an Intel adapter runs ({@link ReceiveQueueCount}, which every family shares),
 * decided in MiniportInitializeEx before anything announces them (docs/ndis-contract.md §21,
 * docs/hardware-reference.md B.16): one per RSS queue, each with its own MSI-X message, so the count is the
 * smallest of
 * <ul>
 *   <li>the chip's receive queues that RSS can name ({@link IntelChip#maxReceiveQueues});</li>
 *   <li>{@code *NumRssQueues} and {@code *MaxRssProcessors}: an indirection table entry names a processor and
 *       nicup runs processor n's traffic on queue n, so queues beyond the processors RSS may use never get a
 *       frame (Linux igb likewise takes no more queues than online CPUs, {@code igb_init_queue_configuration});</li>
 *   <li>the MSI-X messages the device offers, less the transmit and the other-causes messages.</li>
 * </ul>
 * One queue without RSS ({@code *RSS=0}), with an {@code InterruptMode} other than MSI-X or automatic, or
 * with too few MSI-X messages for two receive queues: MSI, INTx and polling have one interrupt for everything.
 */
public final class ReceiveQueuePlan {

    private ReceiveQueuePlan() {
    }

    /**
     * The receive queues to run.
     *
     * @param chipQueues the chip's limit
     * @param keywords the offload and RSS keywords read
     * @param interruptMode the {@code InterruptMode} keyword ({@link IntelConfig#MODE_AUTO} ...)
     * @param resources the interrupt messages the device offers
     */
    public static int queues(int chipQueues, OffloadKeywords keywords, int interruptMode, AllocatedResources resources) {
        boolean msix = interruptMode == IntelConfig.MODE_AUTO || interruptMode == IntelConfig.MODE_MSIX;
        return ReceiveQueueCount.queues(chipQueues, keywords, msix, resources, IntelAdapter.MSIX_VECTORS - 1);
    }

    /**
     * The MSI-X message of receive queue {@code queue}: queue 0 keeps {@link IntelAdapter#VECTOR_RX}, the
     * others follow the transmit and other-causes messages (3, 4, ...).
     */
    public static int rxVector(int queue) {
        return queue == 0 ? IntelAdapter.VECTOR_RX : IntelAdapter.MSIX_VECTORS + queue - 1;
    }

    /** The receive queue whose message is {@code messageId}, or -1 (transmit, other causes). */
    public static int queueOfVector(int messageId, int queues) {
        if (messageId == IntelAdapter.VECTOR_RX) {
            return 0;
        }
        int q = messageId - IntelAdapter.MSIX_VECTORS + 1;
        return q >= 1 && q < queues ? q : -1;
    }

    /** MSI-X messages for {@code queues} receive queues, the transmit queue and the other causes. */
    public static int messages(int queues) {
        return IntelAdapter.MSIX_VECTORS + queues - 1;
    }
}
