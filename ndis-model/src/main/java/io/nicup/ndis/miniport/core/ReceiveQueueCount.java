package io.nicup.ndis.miniport.core;

import io.nicup.ndis.adapter.AllocatedResources;
import io.nicup.vfio.InterruptMode;

/**
 * How many receive queues an adapter runs, decided in MiniportInitializeEx before anything announces them
 * (docs/ndis-contract.md §21): one per RSS queue, each with its own MSI-X message, so the count is the
 * smallest of
 * <ul>
 *   <li>the device's receive queues that RSS can name;</li>
 *   <li>{@code *NumRssQueues} and {@code *MaxRssProcessors}: an indirection table entry names a processor and
 *       the miniport runs processor n's traffic on queue n, so queues beyond the processors RSS may use never
 *       get a frame (Linux igb and virtio_net likewise take no more queues than online CPUs);</li>
 *   <li>the MSI-X messages the device offers, less those of the transmit, control and other causes.</li>
 * </ul>
 * One queue without RSS ({@code *RSS=0}), when the interrupt mode keyword rules MSI-X out, or with too few
 * MSI-X messages for two receive queues: MSI, INTx and polling have one interrupt for everything.
 */
public final class ReceiveQueueCount {

    private ReceiveQueueCount() {
    }

    /**
     * The receive queues to run.
     *
     * @param deviceQueues the device's limit
     * @param keywords the offload and RSS keywords read
     * @param msixAllowed whether the interrupt mode keyword lets the adapter use MSI-X
     * @param resources the interrupt messages the device offers
     * @param otherMessages the MSI-X messages that are not a receive queue's
     */
    public static int queues(int deviceQueues, OffloadKeywords keywords, boolean msixAllowed,
            AllocatedResources resources, int otherMessages) {
        if (deviceQueues <= 1 || !keywords.rss() || !msixAllowed) {
            return 1;
        }
        int byMessages = msixMessages(resources) - otherMessages;
        int queues = Math.min(Math.min(deviceQueues, byMessages),
                Math.min(keywords.numRssQueues(), keywords.maxRssProcessors()));
        return Math.max(1, queues);
    }

    /** The MSI-X messages the device offers (0 without MSI-X). */
    public static int msixMessages(AllocatedResources resources) {
        int messages = 0;
        for (AllocatedResources.InterruptResource r : resources.interrupts()) {
            if (r.mode() == InterruptMode.MSIX) {
                messages = r.messageCount();
            }
        }
        return messages;
    }
}
