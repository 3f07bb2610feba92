package io.nicup.ndis.oid;

import io.nicup.ndis.NdisStatus;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The RSS configuration an OID_GEN_RECEIVE_SCALE_PARAMETERS set carries (NDIS_RECEIVE_SCALE_PARAMETERS,
 * docs/ndis-contract.md §10), parsed and checked against the adapter's capabilities. Immutable: a set that
 * is refused leaves the configuration in force untouched, as HLK 1c_Mini6RSSOids requires.
 *
 * <pre>
 * offset size member                       (x64; revision 1 = 28 bytes, 2 = 40, 3 = 44)
 *      0    4 Header {Type 0x89, Revision, Size}
 *      4    2 Flags (NDIS_RSS_PARAM_FLAG_*)
 *      6    2 BaseCpuNumber
 *      8    4 HashInformation (hash types | hash function)
 *     12    2 IndirectionTableSize (bytes)
 *     16    4 IndirectionTableOffset (from the start of the structure)
 *     20    2 HashSecretKeySize (bytes)
 *     24    4 HashSecretKeyOffset
 *     28   12 ProcessorMasksOffset, NumberOfProcessorMasks, ProcessorMasksEntrySize (revision 2)
 *     40    4 DefaultProcessorNumber (revision 3)
 * indirection table entries: revision 1 one byte (a CPU number), revision 2 and 3 a PROCESSOR_NUMBER
 * {USHORT Group, UCHAR Number, UCHAR Reserved}, 4 bytes.
 * </pre>
 *
 * <p>nicup's choice where the DDI leaves the miniport free: an indirection table entry names the receive
 * queue directly (processor n is queue n; nicup runs one DPC per queue), so an entry at or beyond
 * NumberOfReceiveQueues cannot be placed and the set is refused.
 *
 * @param indirectionTable the queue of each entry
 */
public record NdisReceiveScaleParameters(boolean enabled, int baseCpuNumber, int hashInformation,
        int[] indirectionTable, byte[] hashSecretKey) {

    public static final int NDIS_OBJECT_TYPE_RSS_PARAMETERS = 0x89;
    public static final int[] SIZEOF_REVISION = {0, 28, 40, 44};
    public static final int NDIS_RSS_PARAM_FLAG_BASE_CPU_UNCHANGED = 0x0001;
    public static final int NDIS_RSS_PARAM_FLAG_HASH_INFO_UNCHANGED = 0x0002;
    public static final int NDIS_RSS_PARAM_FLAG_ITABLE_UNCHANGED = 0x0004;
    public static final int NDIS_RSS_PARAM_FLAG_HASH_KEY_UNCHANGED = 0x0008;
    public static final int NDIS_RSS_PARAM_FLAG_DISABLE_RSS = 0x0010;
    /** The secret key length of the Toeplitz function: always 40 bytes. */
    public static final int HASH_SECRET_KEY_SIZE = 40;

    /** RSS off, as after initialization: no table, no key. */
    public static final NdisReceiveScaleParameters DISABLED =
            new NdisReceiveScaleParameters(false, 0, 0, new int[0], new byte[0]);

    public NdisReceiveScaleParameters {
        indirectionTable = indirectionTable.clone();
        hashSecretKey = hashSecretKey.clone();
    }

    @Override
    public int[] indirectionTable() {
        return indirectionTable.clone();
    }

    @Override
    public byte[] hashSecretKey() {
        return hashSecretKey.clone();
    }

    /** The queue entry {@code hash} selects: the table indexed by the hash's low bits. */
    public int queueFor(int hash) {
        return indirectionTable[hash & (indirectionTable.length - 1)];
    }

    /** The outcome of a set: the new configuration, or the status that refuses it and why. */
    public sealed interface Outcome {
    }

    public record Accepted(NdisReceiveScaleParameters parameters) implements Outcome {
    }

    /** @param bytesNeeded for INVALID_LENGTH, the length that would do; 0 otherwise */
    public record Refused(int status, int bytesNeeded, String reason) implements Outcome {
    }

    /**
     * Parses a set's buffer over the configuration in force ({@code current}: the fields the flags leave
     * unchanged come from it) and checks it against {@code caps}. INVALID_LENGTH when the buffer is shorter
     * than the structure or than what its offsets point at; INVALID_DATA for anything else wrong
     * (nicup's choice of status: the DDI names none for a bad value).
     */
    public static Outcome parse(MemorySegment b, NdisReceiveScaleCapabilities caps, NdisReceiveScaleParameters current) {
        long length = b.byteSize();
        if (length < SIZEOF_REVISION[1]) {
            return new Refused(NdisStatus.INVALID_LENGTH, SIZEOF_REVISION[1], "length=" + length + " needed=28");
        }
        int type = b.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
        int revision = b.get(ValueLayout.JAVA_BYTE, 1) & 0xFF;
        int size = b.get(NdisOidRequest.USHORT, 2) & 0xFFFF;
        if (type != NDIS_OBJECT_TYPE_RSS_PARAMETERS || revision < 1 || revision > 3) {
            return new Refused(NdisStatus.INVALID_DATA, 0, "Header.Type=0x" + Integer.toHexString(type)
                    + " Header.Revision=" + revision + " expected Type=0x89 Revision=1..3");
        }
        if (size < SIZEOF_REVISION[revision] || length < SIZEOF_REVISION[revision]) {
            return new Refused(size < SIZEOF_REVISION[revision] ? NdisStatus.INVALID_DATA : NdisStatus.INVALID_LENGTH,
                    size < SIZEOF_REVISION[revision] ? 0 : SIZEOF_REVISION[revision],
                    "Header.Size=" + size + " length=" + length + " revision " + revision + " needs "
                            + SIZEOF_REVISION[revision]);
        }
        int flags = b.get(NdisOidRequest.USHORT, 4) & 0xFFFF;
        if ((flags & NDIS_RSS_PARAM_FLAG_DISABLE_RSS) != 0) {
            return new Accepted(new NdisReceiveScaleParameters(false, current.baseCpuNumber, 0,
                    current.indirectionTable, current.hashSecretKey));
        }
        int baseCpu = (flags & NDIS_RSS_PARAM_FLAG_BASE_CPU_UNCHANGED) != 0 ? current.baseCpuNumber
                : b.get(NdisOidRequest.USHORT, 6) & 0xFFFF;
        int hashInfo = (flags & NDIS_RSS_PARAM_FLAG_HASH_INFO_UNCHANGED) != 0 ? current.hashInformation
                : b.get(NdisOidRequest.ULONG, 8);
        int function = hashInfo & NdisRssHash.NDIS_HASH_FUNCTION_MASK;
        int types = hashInfo & NdisRssHash.NDIS_HASH_TYPE_MASK;
        if ((hashInfo & ~(NdisRssHash.NDIS_HASH_FUNCTION_MASK | NdisRssHash.NDIS_HASH_TYPE_MASK)) != 0
                || (types != 0 && function != NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ)) {
            return new Refused(NdisStatus.INVALID_DATA, 0, String.format(
                    "HashInformation=0x%08X: hash function %d, only NdisHashFunctionToeplitz=1", hashInfo, function));
        }
        if ((types & ~caps.supportedHashTypes()) != 0) {
            return new Refused(NdisStatus.INVALID_DATA, 0, String.format(
                    "hash types=0x%08X not supported: supported=0x%08X", types, caps.supportedHashTypes()));
        }
        int[] table = current.indirectionTable;
        if ((flags & NDIS_RSS_PARAM_FLAG_ITABLE_UNCHANGED) == 0) {
            Object t = table(b, revision, caps);
            if (t instanceof Refused r) {
                return r;
            }
            table = (int[]) t;
        }
        byte[] key = current.hashSecretKey;
        if ((flags & NDIS_RSS_PARAM_FLAG_HASH_KEY_UNCHANGED) == 0) {
            int keySize = b.get(NdisOidRequest.USHORT, 20) & 0xFFFF;
            long keyOffset = b.get(NdisOidRequest.ULONG, 24) & 0xFFFF_FFFFL;
            if (keySize != HASH_SECRET_KEY_SIZE) {
                return new Refused(NdisStatus.INVALID_DATA, 0, "HashSecretKeySize=" + keySize + " expected=40");
            }
            if (keyOffset + keySize > length) {
                return new Refused(NdisStatus.INVALID_LENGTH, (int) (keyOffset + keySize), "HashSecretKeyOffset="
                        + keyOffset + " HashSecretKeySize=" + keySize + " length=" + length);
            }
            key = b.asSlice(keyOffset, keySize).toArray(ValueLayout.JAVA_BYTE);
        }
        if (types != 0 && (table.length == 0 || key.length != HASH_SECRET_KEY_SIZE)) {
            return new Refused(NdisStatus.INVALID_DATA, 0, "RSS enabled without an indirection table or key");
        }
        return new Accepted(new NdisReceiveScaleParameters(types != 0, baseCpu, hashInfo, table, key));
    }

    /** The indirection table as queue numbers, or the {@link Refused} that rejects it. */
    private static Object table(MemorySegment b, int revision, NdisReceiveScaleCapabilities caps) {
        int tableSize = b.get(NdisOidRequest.USHORT, 12) & 0xFFFF;
        long tableOffset = b.get(NdisOidRequest.ULONG, 16) & 0xFFFF_FFFFL;
        int entrySize = revision == 1 ? 1 : 4;
        if (tableSize % entrySize != 0) {
            return new Refused(NdisStatus.INVALID_DATA, 0, "IndirectionTableSize=" + tableSize
                    + " not a multiple of the entry size " + entrySize);
        }
        int entries = tableSize / entrySize;
        if (entries == 0 || Integer.bitCount(entries) != 1 || entries > caps.maxIndirectionTableEntries()) {
            return new Refused(NdisStatus.INVALID_DATA, 0, "indirection table entries=" + entries
                    + ": a power of two from 1 to " + caps.maxIndirectionTableEntries());
        }
        if (tableOffset + tableSize > b.byteSize()) {
            return new Refused(NdisStatus.INVALID_LENGTH, (int) (tableOffset + tableSize), "IndirectionTableOffset="
                    + tableOffset + " IndirectionTableSize=" + tableSize + " length=" + b.byteSize());
        }
        int[] table = new int[entries];
        for (int i = 0; i < entries; i++) {
            long at = tableOffset + (long) i * entrySize;
            int queue = revision == 1 ? b.get(ValueLayout.JAVA_BYTE, at) & 0xFF
                    : b.get(ValueLayout.JAVA_BYTE, at + 2) & 0xFF;              // PROCESSOR_NUMBER.Number
            int group = revision == 1 ? 0 : b.get(NdisOidRequest.USHORT, at) & 0xFFFF;
            if (group != 0 || queue >= caps.numberOfReceiveQueues()) {
                return new Refused(NdisStatus.INVALID_DATA, 0, "indirection table entry " + i + " names processor "
                        + group + ":" + queue + ", beyond NumberOfReceiveQueues=" + caps.numberOfReceiveQueues());
            }
            table[i] = queue;
        }
        return table;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdisReceiveScaleParameters p && p.enabled == enabled && p.baseCpuNumber == baseCpuNumber
                && p.hashInformation == hashInformation && Arrays.equals(p.indirectionTable, indirectionTable)
                && Arrays.equals(p.hashSecretKey, hashSecretKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(indirectionTable) * 31 + hashInformation;
    }

    @Override
    public String toString() {
        return String.format("RSS{enabled=%s hashInformation=0x%08X table=%s key=%d bytes}", enabled, hashInformation,
                Arrays.toString(indirectionTable), hashSecretKey.length);
    }
}
