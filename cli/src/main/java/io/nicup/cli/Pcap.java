package io.nicup.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classic libpcap files, the format Wireshark, tshark and QEMU's filter-dump read and write: a 24-byte
 * global header (magic 0xa1b2c3d4 in the writer's byte order, version 2.4, snaplen, link type 1 =
 * Ethernet) and per frame a 16-byte record header (ts_sec, ts_usec, caplen, len) followed by caplen
 * bytes (pcap-savefile(5); docs/hardware-reference.md D.3). Reading validates everything a file can lie about and turns
 * each lie into a one-line {@link CliException} with exit code USAGE.
 */
final class Pcap {

    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    static final int LINKTYPE_ETHERNET = 1;
    /** Largest frame accepted: a 9014-byte jumbo frame with room to spare; larger records are lies. */
    static final int MAX_FRAME = 16 * 1024;
    static final int DEFAULT_SNAPLEN = 65535;

    private Pcap() {
    }

    /** One captured frame. */
    record Frame(long timestampMicros, byte[] data, int originalLength) {
    }

    /** Frame bytes one file may bring into memory: 256 MiB (about 170 000 full-size frames). */
    static final long MAX_TOTAL_BYTES = 256L << 20;

    /** Reads every frame of {@code file}; at most {@code maxFrames} and {@link #MAX_TOTAL_BYTES} (bounds on memory). */
    static List<Frame> readAll(Path file, int maxFrames) {
        return readAll(open(file), file, maxFrames);
    }

    /** Reads every frame of a pcap on {@code in} (standard input, named {@code name}), with the same bounds. */
    static List<Frame> readAll(InputStream in, Path name, int maxFrames) {
        return readAll(new Reader(name, new BufferedInputStream(in)), name, maxFrames);
    }

    private static List<Frame> readAll(Reader reader, Path file, int maxFrames) {
        try (Reader r = reader) {
            List<Frame> frames = new ArrayList<>();
            long total = 0;
            Frame f;
            while ((f = r.next()) != null) {
                if (frames.size() == maxFrames) {
                    throw invalid(file, "more than " + maxFrames + " frames", "split the file or raise --count");
                }
                total += f.data().length;
                if (total > MAX_TOTAL_BYTES) {
                    throw invalid(file, "more than " + MAX_TOTAL_BYTES + " bytes of frames", "split the file (editcap -c)");
                }
                frames.add(f);
            }
            return frames;
        }
    }

    static Reader open(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new CliException(ExitCode.USAGE, "pcap file is not a regular file: file=" + file + " type="
                    + (Files.isDirectory(file) ? "directory" : "special"), "give a pcap file, not a directory, FIFO or device");
        }
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException(ExitCode.USAGE, "pcap file not found: file=" + file, "check the path");
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read pcap file: file=" + file + " error=" + e.getMessage(),
                    "check the path and its permissions");
        }
        try {
            return new Reader(file, new BufferedInputStream(raw));
        } catch (RuntimeException e) {
            // a file refused for its global header must not keep its descriptor open
            try {
                raw.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    static CliException invalid(Path file, String what, String remedy) {
        return new CliException(ExitCode.USAGE, "not a valid pcap file: file=" + file + " problem=" + what, remedy);
    }

    /** Streams frames out of a pcap file. */
    static final class Reader implements Closeable {
        private final Path file;
        private final DataInputStream in;
        private final ByteOrder order;
        private final boolean nanos;
        private final int snaplen;
        private long index;

        Reader(Path file, InputStream raw) {
            this.file = file;
            this.in = new DataInputStream(raw);
            byte[] header = new byte[24];
            try {
                in.readFully(header);
            } catch (EOFException e) {
                throw invalid(file, "truncated global header (less than 24 bytes)", "capture it again with tshark -F pcap");
            } catch (IOException e) {
                throw invalid(file, "read error " + e.getMessage(), "check the file");
            }
            ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int magic = b.getInt(0);
            ByteOrder o = ByteOrder.LITTLE_ENDIAN;
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                b.order(ByteOrder.BIG_ENDIAN);
                magic = b.getInt(0);
                o = ByteOrder.BIG_ENDIAN;
            }
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                throw invalid(file, String.format("wrong magic 0x%08x", b.order(ByteOrder.LITTLE_ENDIAN).getInt(0)),
                        "give a classic pcap file (pcapng is not read: convert with editcap -F pcap)");
            }
            this.order = o;
            this.nanos = magic == MAGIC_NANOS;
            int major = Short.toUnsignedInt(b.getShort(4));
            if (major != 2) {
                throw invalid(file, "version " + major + "." + b.getShort(6), "give a pcap version 2.4 file");
            }
            this.snaplen = b.getInt(16);
            int linktype = b.getInt(20) & 0x0FFFFFFF;
            if (linktype != LINKTYPE_ETHERNET) {
                throw invalid(file, "link type " + linktype + " is not Ethernet (1)", "capture on an Ethernet interface");
            }
        }

        /** The next frame, or null at the end of the file. */
        Frame next() {
            byte[] rec = new byte[16];
            int n;
            try {
                n = in.readNBytes(rec, 0, 16);
            } catch (IOException e) {
                throw invalid(file, "read error " + e.getMessage(), "check the file");
            }
            if (n == 0) {
                return null;
            }
            if (n < 16) {
                throw invalid(file, "record " + index + " header truncated", "the capture was cut short: capture again");
            }
            ByteBuffer b = ByteBuffer.wrap(rec).order(order);
            long sec = Integer.toUnsignedLong(b.getInt(0));
            long frac = Integer.toUnsignedLong(b.getInt(4));
            long caplen = Integer.toUnsignedLong(b.getInt(8));
            long len = Integer.toUnsignedLong(b.getInt(12));
            if (caplen > MAX_FRAME || (snaplen > 0 && caplen > Integer.toUnsignedLong(snaplen))) {
                throw invalid(file, "record " + index + " caplen=" + caplen + " exceeds snaplen=" + snaplen
                        + " or the largest frame " + MAX_FRAME, "the file is corrupt: capture again");
            }
            if (caplen > len) {
                throw invalid(file, "record " + index + " caplen=" + caplen + " larger than len=" + len,
                        "the file is corrupt: capture again");
            }
            byte[] data = new byte[(int) caplen];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw invalid(file, "record " + index + " data truncated", "the capture was cut short: capture again");
            } catch (IOException e) {
                throw invalid(file, "read error " + e.getMessage(), "check the file");
            }
            index++;
            long micros = sec * 1_000_000 + (nanos ? frac / 1000 : frac);
            return new Frame(micros, data, (int) Math.min(len, Integer.MAX_VALUE));
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // nothing was written; closing a reader cannot lose data
            }
        }
    }

    /**
     * Writes a little-endian, microsecond pcap file. {@link #replacing} writes beside the target and puts
     * the file in place only on {@link #commit}; closed without a commit, it leaves the target as it was.
     */
    static final class Writer implements Closeable {
        private final OutputStream out;
        private final ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        private final OutputFile file;
        private boolean committed;
        private long frames;

        Writer(Path file) {
            this(file, null);
        }

        /** A writer for {@code target} that replaces it only once {@link #commit} is called. */
        static Writer replacing(Path target) {
            return new Writer(null, OutputFile.open(target));
        }

        /** A writer onto {@code stream} (standard output), left open when the writer closes. */
        static Writer onto(OutputStream stream) {
            return new Writer(new java.io.FilterOutputStream(stream) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();                             // standard output outlives the pcap
                }
            });
        }

        private Writer(OutputStream stream) {
            this.file = null;
            this.out = new BufferedOutputStream(stream);
            try {
                writeHeader();
            } catch (IOException e) {
                throw new CliException(ExitCode.ENVIRONMENT, "writing the pcap file failed: error=" + e.getMessage(),
                        remedy(e));
            }
        }

        private void writeHeader() throws IOException {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(DEFAULT_SNAPLEN).putInt(LINKTYPE_ETHERNET);
            out.write(h.array());
        }

        private Writer(Path direct, OutputFile replacing) {
            this.file = replacing;
            Path file = direct != null ? direct : replacing.path();
            try {
                this.out = new BufferedOutputStream(Files.newOutputStream(file));
                writeHeader();
            } catch (IOException e) {
                if (replacing != null) {
                    replacing.discard();
                }
                throw new CliException(ExitCode.USAGE, "cannot write pcap file: file=" + file + " error="
                        + e.getMessage(), "check the directory exists and is writable");
            }
        }

        /** Flushes and closes the file and puts it in place of the target (for {@link #replacing}). */
        void commit() {
            committed = true;
            close();
            if (file != null) {
                file.commit();
            }
        }

        void write(long timestampMicros, byte[] data, int offset, int length) {
            rec.clear();
            rec.putInt((int) (timestampMicros / 1_000_000)).putInt((int) (timestampMicros % 1_000_000))
                    .putInt(length).putInt(length);
            try {
                out.write(rec.array());
                out.write(data, offset, length);
            } catch (IOException e) {
                throw new CliException(ExitCode.ENVIRONMENT, "writing the pcap file failed: error=" + e.getMessage(),
                        remedy(e));
            }
            frames++;
        }

        long frames() {
            return frames;
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                if (file != null) {
                    file.discard();
                }
                throw new CliException(ExitCode.ENVIRONMENT, "closing the pcap file failed: error=" + e.getMessage(),
                        remedy(e));
            } finally {
                if (file != null && !committed) {
                    file.discard();                      // no-op after commit moved it; otherwise the target stays
                }
            }
        }
    }

    /** What to do about a failed write: free space only when space is what ran out. */
    static String remedy(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No space left") || m.contains("Disk quota")
                ? "free space on that file system or write elsewhere"
                : "check the device or file system the file is on (the kernel log names I/O errors)";
    }
}
