package io.nicup.ndis.datapath;

/**
 * NET_BUFFER_LIST_POOL_PARAMETERS, plus the preallocation nicup needs to keep the data path free of
 * allocation.
 *
 * @param count NBLs preallocated (the pool never grows; an exhausted pool returns null)
 * @param netBuffersPerList NET_BUFFERs attached to each NBL (1 for receive pools)
 * @param dataSize bytes of DMA data buffer per NET_BUFFER; 0 for NBLs whose NET_BUFFERs the owner
 *     points at its own memory ({@link NetBufferListPool#allocate(java.lang.foreign.MemorySegment, long, int, int)})
 * @param purpose names the pool in traces and leak reports
 */
public record NetBufferListPoolParameters(int count, int netBuffersPerList, int dataSize, String purpose) {

    public NetBufferListPoolParameters {
        if (count <= 0 || netBuffersPerList <= 0 || dataSize < 0) {
            throw new IllegalArgumentException("bad pool parameters: count=" + count + " netBuffersPerList="
                    + netBuffersPerList + " dataSize=" + dataSize);
        }
    }

    /** NBLs whose single NET_BUFFER the owner attaches to its own buffers (receive rings). */
    public static NetBufferListPoolParameters withoutData(int count, String purpose) {
        return new NetBufferListPoolParameters(count, 1, 0, purpose);
    }

    /** NBLs with one NET_BUFFER each, backed by a DMA buffer of {@code dataSize} bytes. */
    public static NetBufferListPoolParameters withData(int count, int dataSize, String purpose) {
        return new NetBufferListPoolParameters(count, 1, dataSize, purpose);
    }
}
