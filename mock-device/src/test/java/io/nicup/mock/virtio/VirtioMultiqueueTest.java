package io.nicup.mock.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.RssToeplitzTest;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * virtio-net's multiqueue in the model (virtio 1.2 5.1.6.5.6, 5.1.6.5.7; docs/hardware-reference.md C.10):
 * VQ_PAIRS_SET checked as QEMU checks it, and RSS steering each frame to the receive queue its indirection
 * table entry names, with queues beyond the device's pairs refused.
 */
class VirtioMultiqueueTest {

    private static final long MQ = VirtioNetModel.F_MQ;

    @Test
    void vqPairsSetIsCheckedAsQemuChecksIt() {
        assertThat(VirtioControlQueue.pairsToUse(MQ, 2, 3, 4)).isEqualTo(3);
        assertThat(VirtioControlQueue.pairsToUse(MQ, 2, 4, 4)).isEqualTo(4);
        assertThat(VirtioControlQueue.pairsToUse(MQ, 2, 1, 4)).isEqualTo(1);
        assertThat(VirtioControlQueue.pairsToUse(0, 2, 2, 4)).as("MQ not negotiated").isEqualTo(-1);
        assertThat(VirtioControlQueue.pairsToUse(MQ, 3, 2, 4)).as("not one le16").isEqualTo(-1);
        assertThat(VirtioControlQueue.pairsToUse(MQ, 1, 2, 4)).as("short").isEqualTo(-1);
        assertThat(VirtioControlQueue.pairsToUse(MQ, 2, 0, 4)).as("below VQ_PAIRS_MIN").isEqualTo(-1);
        assertThat(VirtioControlQueue.pairsToUse(MQ, 2, 5, 4)).as("above max_virtqueue_pairs").isEqualTo(-1);
        assertThat(VirtioControlQueue.pairsToUse(MQ, 2, 0x8001, 0x8000)).as("above VQ_PAIRS_MAX").isEqualTo(-1);
    }

    @Test
    void rssSteersEachFrameToTheQueueItsTableEntryNames() {
        VirtioRss rss = new VirtioRss(4, VirtioRss.MAX_TABLE_LENGTH);
        int[] table = new int[128];
        for (int i = 0; i < table.length; i++) {
            table[i] = i % 4;
        }
        byte[] cmd = VirtioRssTest.rssConfig(0x3F, table, 0, 4, RssToeplitzTest.KEY);
        assertThat(rss.configure(cmd, 0, cmd.length, true)).isEqualTo(VirtioRss.OK);
        assertThat(rss.maxTxVq).as("the pairs RSS_CONFIG puts in use").isEqualTo(4);
        assertThat(rss.steers()).isTrue();
        TreeSet<Integer> reached = new TreeSet<>();
        for (Object[] row : RssToeplitzTest.VECTORS) {
            byte[] tcp = VirtioRssTest.frame(row, 6);
            rss.classify(tcp, tcp.length);
            assertThat(rss.hash).isEqualTo((int) row[5]);
            assertThat(rss.queue).as("TCP %s", row[0]).isEqualTo(table[(int) row[5] & 127]);
            reached.add(rss.queue);
        }
        assertThat(reached).as("Microsoft's ten rows reach more than one queue").hasSizeGreaterThan(1);
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        byte[] unclassified = VirtioRssTest.rssConfig(0x3F, table, 3, 4, RssToeplitzTest.KEY);
        rss.configure(unclassified, 0, unclassified.length, true);
        rss.classify(arp, arp.length);
        assertThat(rss.queue).as("no hash type fits: unclassified_queue").isEqualTo(3);
    }

    @Test
    void tablesNamingAQueueTheDeviceLacksAreRefused() {
        VirtioRss rss = new VirtioRss(2, VirtioRss.MAX_TABLE_LENGTH);
        byte[] key = RssToeplitzTest.KEY;
        byte[] entry = VirtioRssTest.rssConfig(0x3F, new int[] {0, 1, 2, 0}, 0, 2, key);
        assertThat(rss.configure(entry, 0, entry.length, true)).isEqualTo(VirtioRss.ERR);
        byte[] txVq = VirtioRssTest.rssConfig(0x3F, new int[] {0, 1}, 0, 3, key);
        assertThat(rss.configure(txVq, 0, txVq.length, true)).as("max_tx_vq above the pairs").isEqualTo(VirtioRss.ERR);
        byte[] ok = VirtioRssTest.rssConfig(0x3F, new int[] {0, 1}, 1, 2, key);
        assertThat(rss.configure(ok, 0, ok.length, true)).isEqualTo(VirtioRss.OK);
    }
}
