package io.nicup.ndis.datapath;

/**
 * A {@link NetBufferListPool}'s shared free stack, used under the pool's lock: every free NBL that is not in
 * the owner's {@link NetBufferListCache}. Preallocated to the pool's capacity, so pushing never grows it.
 */
final class NetBufferListStack {

    private final NetBufferList[] items;
    private int top;

    NetBufferListStack(int capacity) {
        this.items = new NetBufferList[capacity];
    }

    int size() {
        return top;
    }

    boolean isEmpty() {
        return top == 0;
    }

    void push(NetBufferList nbl) {
        items[top++] = nbl;
    }

    /** The NBL on top; the stack must not be empty. */
    NetBufferList pop() {
        NetBufferList nbl = items[--top];
        items[top] = null;
        return nbl;
    }

    /** Up to {@code n} NBLs into {@code out[offset ..]}; how many. */
    int pop(NetBufferList[] out, int offset, int n) {
        int got = 0;
        while (got < n && top > 0) {
            out[offset + got++] = pop();
        }
        return got;
    }

    /**
     * The cold path of a refused chain free: what was pushed above {@code mark} (a {@link #size()} taken before)
     * is taken off again and marked ALLOCATED, as it was.
     */
    void unwindTo(int mark) {
        while (top > mark) {
            pop().setOwner(NetBufferList.ALLOCATED);
        }
    }
}
