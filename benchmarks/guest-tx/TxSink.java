// benchmarks/guest-tx/TxSink.java — count the frames a QEMU guest NIC transmits, per destination MAC.
//
// Usage (normally through scripts/bench-guest-tx):
//   java benchmarks/guest-tx/TxSink.java PORT OUT READY STOP
//
//   PORT   the NIC's NICUP_HIL_NICi_TX_PORT from run-guest's guest.env: QEMU's UDP socket netdev sends
//          every frame the NIC transmits to 127.0.0.1:PORT as one datagram (one Ethernet frame, no FCS).
//   OUT    the result file, written when STOP appears (see below).
//   READY  created once PORT is bound (the guest waits for it before its first run).
//   STOP   a file: the sink checks for it every 100 ms and, once it exists, writes OUT and exits 0.
//
// Each run of the benchmark sends to its own destination MAC 02:00:00:00:RR:VV, so one sink serves the
// whole guest without any coordination: frames whose destination starts with 02:00:00:00 are counted in
// one of 65536 slots (RR:VV), with the host's monotonic time of the first and the last frame and the
// smallest and largest frame; every other frame (a stray frame of the guest's stack) is counted as
// "other". OUT has one line per slot that saw frames,
//   dst=02:00:00:00:01:01 frames=200000 first_ns=... last_ns=... min_len=60 max_len=60
// then "other=N" and "drops=N": the datagrams the host kernel dropped on this socket because the sink
// was not reading fast enough (the drops column of /proc/net/udp), so a count that is short says why.
// Exit 0 done; 1 error (port taken, I/O); 2 usage.

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

public final class TxSink {
    private static final int SLOTS = 1 << 16;
    private static final int RECEIVE_BUFFER = 4 << 20;
    private static final long STOP_CHECK_NS = 100_000_000L;

    private final long[] frames = new long[SLOTS];
    private final long[] firstNs = new long[SLOTS];
    private final long[] lastNs = new long[SLOTS];
    private final int[] minLen = new int[SLOTS];
    private final int[] maxLen = new int[SLOTS];
    private long other;

    public static void main(String[] args) {
        if (args.length != 4 || !args[0].matches("[0-9]{1,5}")) {
            System.err.println("usage: TxSink PORT OUT READY STOP");
            System.exit(2);
        }
        try {
            new TxSink().run(Integer.parseInt(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
        } catch (IOException | RuntimeException e) {
            System.err.println("tx-sink: " + e);
            System.exit(1);
        }
    }

    private void run(int port, Path out, Path ready, Path stop) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReceiveBufferSize(RECEIVE_BUFFER);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout(100);
            Files.writeString(ready, "port=" + port + " rcvbuf=" + socket.getReceiveBufferSize() + "\n");
            byte[] buf = new byte[65536];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            long nextStopCheck = System.nanoTime() + STOP_CHECK_NS;
            while (true) {
                packet.setLength(buf.length);
                try {
                    socket.receive(packet);
                    count(buf, packet.getLength(), System.nanoTime());
                } catch (SocketTimeoutException idle) {
                    // no frame for 100 ms: fall through to the stop check
                }
                long now = System.nanoTime();
                if (now - nextStopCheck >= 0) {
                    if (Files.exists(stop)) {
                        break;
                    }
                    nextStopCheck = now + STOP_CHECK_NS;
                }
            }
            write(out, drops(port));
        }
    }

    /** One frame: the 02:00:00:00:RR:VV slot it is addressed to, or "other". */
    private void count(byte[] f, int len, long now) {
        if (len < 6 || f[0] != 0x02 || f[1] != 0 || f[2] != 0 || f[3] != 0) {
            other++;
            return;
        }
        int slot = (f[4] & 0xff) << 8 | (f[5] & 0xff);
        if (frames[slot]++ == 0) {
            firstNs[slot] = now;
            minLen[slot] = len;
            maxLen[slot] = len;
        }
        lastNs[slot] = now;
        minLen[slot] = Math.min(minLen[slot], len);
        maxLen[slot] = Math.max(maxLen[slot], len);
    }

    private void write(Path out, String drops) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int slot = 0; slot < SLOTS; slot++) {
            if (frames[slot] > 0) {
                sb.append(String.format(Locale.ROOT, "dst=02:00:00:00:%02x:%02x frames=%d first_ns=%d last_ns=%d min_len=%d max_len=%d%n",
                        slot >> 8, slot & 0xff, frames[slot], firstNs[slot], lastNs[slot], minLen[slot], maxLen[slot]));
            }
        }
        sb.append("other=").append(other).append('\n').append("drops=").append(drops).append('\n');
        Files.writeString(out, sb);
    }

    /**
     * The kernel's drop counter of the socket bound to 127.0.0.1:port: the last column of its line in
     * /proc/net/udp (local address 0100007F:PPPP, hex) or, as the JDK opens dual-stack sockets, in
     * /proc/net/udp6 (the IPv4-mapped ::ffff:127.0.0.1); "unknown" when neither has it.
     */
    private static String drops(int port) {
        String v4 = String.format(Locale.ROOT, "0100007F:%04X", port);
        String v6 = String.format(Locale.ROOT, "0000000000000000FFFF00000100007F:%04X", port);
        for (String table : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 2 && (fields[1].equals(v4) || fields[1].equals(v6))) {
                        return fields[fields.length - 1];
                    }
                }
            } catch (IOException e) {
                // no such table (IPv6 off): try the other
            }
        }
        return "unknown";
    }
}
