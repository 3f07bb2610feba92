// scripts/hil/Inject.java — send raw Ethernet frames to a QEMU UDP netdev (one frame per datagram).
//
// Usage (normally through scripts/hil/inject-udp):
//   java scripts/hil/Inject.java [--host ADDR] [--gap-ms N] [--count N] PORT [FILE.pcap | --hex HEX]...
//
//   PORT        the NIC's NICUP_HIL_NICi_INJECT_PORT from RESULTS/guest.env (QEMU's localaddr).
//   FILE.pcap   classic libpcap file (µs or ns timestamps, either byte order), linktype 1 (Ethernet);
//               every record is sent as one datagram (captured bytes, without FCS). pcapng is not
//               read: convert with `tshark -F pcap -r in.pcapng -w out.pcap`.
//   --hex HEX   one frame given as hex digits (':' '-' ' ' '.' separators allowed).
//   --host      destination address (default 127.0.0.1).
//   --gap-ms N  pause between frames (default 0).
//   --count N   send the whole set N times (default 1).
// Prints one summary line to stderr; exit 0 on success, 1 on error, 2 on usage errors.
//
// Wire format: QEMU's `-netdev socket,udp=...,localaddr=...` (and `-netdev dgram`) takes every
// datagram received on localaddr as one Ethernet frame for the NIC; frames shorter than 60 bytes
// are padded by the NIC model. Frames the guest sends go out as datagrams to the `udp=` address.

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

public final class Inject {
    private static final int MAX_DATAGRAM = 65507;

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (UsageException e) {
            boolean help = e.getMessage().equals("help");
            if (!help) {
                System.err.println("inject-udp: " + e.getMessage());
            }
            System.err.println("usage: inject-udp [--host ADDR] [--gap-ms N] [--count N] PORT [FILE.pcap | --hex HEX]...");
            System.exit(help ? 0 : 2);
        } catch (IOException | RuntimeException e) {
            System.err.println("inject-udp: " + e.getMessage());
            System.exit(1);
        }
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String m) {
            super(m);
        }
    }

    private static int run(String[] args) throws UsageException, IOException {
        String host = "127.0.0.1";
        long gapMs = 0;
        int count = 1;
        Integer port = null;
        List<byte[]> frames = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--host" -> host = value(args, ++i, a);
                case "--gap-ms" -> gapMs = number(value(args, ++i, a), a);
                case "--count" -> count = (int) number(value(args, ++i, a), a);
                case "--hex" -> {
                    String hex = value(args, ++i, a).replaceAll("[\\s:.\\-]", "");
                    try {
                        frames.add(HexFormat.of().parseHex(hex));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("bad --hex frame: " + e.getMessage());
                    }
                    sources.add("hex");
                }
                case "-h", "--help" -> throw new UsageException("help");
                default -> {
                    if (a.startsWith("--")) {
                        throw new UsageException("unknown option " + a);
                    }
                    if (port == null) {
                        long p = number(a, "PORT");
                        if (p < 1 || p > 65535) {
                            throw new UsageException("PORT out of range: " + a);
                        }
                        port = (int) p;
                    } else {
                        frames.addAll(readPcap(Path.of(a)));
                        sources.add(a);
                    }
                }
            }
        }
        if (port == null) {
            throw new UsageException("missing PORT");
        }
        if (frames.isEmpty()) {
            throw new UsageException("no frames (give FILE.pcap or --hex)");
        }
        InetAddress addr = InetAddress.getByName(host);
        long bytes = 0;
        int sent = 0;
        try (DatagramSocket s = new DatagramSocket()) {
            for (int round = 0; round < count; round++) {
                for (byte[] f : frames) {
                    if (sent > 0 && gapMs > 0) {
                        sleep(gapMs);
                    }
                    s.send(new DatagramPacket(f, f.length, addr, port));
                    sent++;
                    bytes += f.length;
                }
            }
        }
        System.err.printf("inject-udp: sent %d frame(s), %d bytes, to %s:%d (%s)%n",
                sent, bytes, addr.getHostAddress(), port, String.join(", ", sources));
        return 0;
    }

    private static String value(String[] args, int i, String opt) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(opt + " needs a value");
        }
        return args[i];
    }

    private static long number(String s, String what) throws UsageException {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": not a non-negative integer: " + s);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads every record of a classic libpcap file with Ethernet link type. */
    static List<byte[]> readPcap(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 24) {
            throw new IOException(file + ": too short for a pcap header");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        switch (magic) {
            case 0xa1b2c3d4, 0xa1b23c4d -> { }
            case 0xd4c3b2a1, 0x4d3cb2a1 -> b.order(ByteOrder.BIG_ENDIAN);
            case 0x0a0d0d0a -> throw new IOException(file
                    + ": pcapng is not supported; convert: tshark -F pcap -r " + file + " -w out.pcap");
            default -> throw new IOException(file + String.format(": not a pcap file (magic 0x%08x)", magic));
        }
        int linktype = b.getInt(20) & 0x0fffffff;
        if (linktype != 1) {
            throw new IOException(file + ": link type " + linktype + " is not Ethernet (1)");
        }
        List<byte[]> frames = new ArrayList<>();
        int off = 24;
        while (off + 16 <= all.length) {
            int caplen = b.getInt(off + 8);
            int len = b.getInt(off + 12);
            off += 16;
            if (caplen < 0 || off + caplen > all.length) {
                throw new IOException(file + ": truncated record at offset " + (off - 16));
            }
            if (caplen != len) {
                System.err.printf("inject-udp: %s: record %d captured %d of %d bytes; sending %d%n",
                        file, frames.size(), caplen, len, caplen);
            }
            if (caplen > MAX_DATAGRAM) {
                throw new IOException(file + ": record " + frames.size() + " is too big for UDP: " + caplen);
            }
            byte[] f = new byte[caplen];
            System.arraycopy(all, off, f, 0, caplen);
            frames.add(f);
            off += caplen;
        }
        if (off != all.length) {
            throw new IOException(file + ": trailing garbage after offset " + off);
        }
        return frames;
    }
}
