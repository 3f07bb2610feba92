package io.nicup.ndis.datapath;

import io.nicup.ndis.trace.Rule;

/**
 * The shape an indicated NBL must have (docs/ndis-contract.md §16.2): one NET_BUFFER, with data, lying
 * within its MDL chain, CurrentMdl and CurrentMdlOffset where DataOffset says. With one MDL, the common
 * case, that is a few field reads and no walk; a longer chain is walked once.
 */
final class NetBufferRules {

    private NetBufferRules() {
    }

    /** The first rule {@code nbl} breaks, or null. */
    static Rule broken(NetBufferList nbl) {
        NetBuffer nb = nbl.firstNetBuffer;
        if (nb == null || nb.next != null) {
            return Rule.RECEIVE_ONE_NET_BUFFER;
        }
        if (nb.dataLength() == 0) {
            return Rule.NB_ZERO_LENGTH;
        }
        Mdl chain = nb.mdlChain();
        long end = (long) nb.dataOffset() + nb.dataLength();
        if (chain.next == null) {
            if (end > chain.byteCount) {
                return Rule.NB_BEYOND_MDL_CHAIN;
            }
            return nb.currentMdl() == chain && nb.currentMdlOffset() == nb.dataOffset() ? null : Rule.NB_CURRENT_MDL;
        }
        if (end > NetBuffer.chainBytes(chain)) {
            return Rule.NB_BEYOND_MDL_CHAIN;
        }
        long before = 0;
        for (Mdl m = chain; m != null; m = m.next) {
            if (m == nb.currentMdl()) {
                boolean placed = before + nb.currentMdlOffset() == nb.dataOffset()
                        && nb.currentMdlOffset() < m.byteCount;
                return placed ? null : Rule.NB_CURRENT_MDL;
            }
            before += m.byteCount;
        }
        return Rule.NB_CURRENT_MDL;                          // CurrentMdl is not in the chain
    }

    /** The evidence for a broken shape (the error path: allocates). */
    static String describe(NetBufferList nbl) {
        StringBuilder b = new StringBuilder("nbl=").append(nbl.pool.purpose()).append('#').append(nbl.index)
                .append(" net_buffers=").append(nbl.netBufferCount());
        NetBuffer nb = nbl.firstNetBuffer;
        if (nb != null) {
            int index = 0;
            int current = -1;
            for (Mdl m = nb.mdlChain(); m != null; m = m.next, index++) {
                if (m == nb.currentMdl()) {
                    current = index;
                }
            }
            b.append(" data_offset=").append(nb.dataOffset()).append(" data_length=").append(nb.dataLength())
                    .append(" mdls=").append(index).append(" mdl_bytes=").append(NetBuffer.chainBytes(nb.mdlChain()))
                    .append(" current_mdl=").append(current < 0 ? "outside-chain" : Integer.toString(current))
                    .append(" current_mdl_offset=").append(nb.currentMdlOffset());
        }
        return b.toString();
    }
}
