package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every input a user can feed nicup, fuzzed through the command line: a DEVICE (BDF or mock spec), a MAC,
 * a parameter file, a pcap file (truncated, wrong magic, lying snaplen and lengths, huge records), frame
 * sizes around the MTU, and combinations of options. Whatever the input: no crash (exit 1 is a bug), no
 * hang (each run has a deadline), and a failure is exactly one line on stderr with the documented exit code.
 */
class InputFuzzProperties {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Environment ENV = new Environment(() -> {
        throw new CliException(ExitCode.NOT_FOUND, "no such device in this test", "");
    }, PciIds.none());
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("nicup-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static CliRun run(String... args) {
        return assertTimeoutPreemptively(DEADLINE, () -> CliRun.run(ENV, args), () -> "hung: " + String.join(" ", args));
    }

    /** A failure is one line on stderr, prefixed "nicup: ", with one of the {@code allowed} exit codes. */
    private static void oneLineFailureOr0(CliRun r, Set<ExitCode> allowed) {
        if (r.exitCode() == 0) {
            return;
        }
        assertThat(allowed.stream().map(ExitCode::code)).as(r.err()).contains(r.exitCode());
        List<String> lines = r.err().lines().filter(l -> !l.contains("Ctrl-C stops")).toList();
        assertThat(lines).as(r.err()).singleElement().asString().startsWith("nicup: ");
    }

    // ------------------------------------------------------------------ DEVICE

    @Property(tries = 300)
    void anyDeviceArgumentIsAUsageErrorOrNotFound(@ForAll("deviceLike") String device) {
        CliRun r = run("regs", device);
        assertThat(r.exitCode()).as(device + ": " + r.err()).isIn(ExitCode.USAGE.code(), ExitCode.NOT_FOUND.code());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE, ExitCode.NOT_FOUND));
        assertThat(r.out()).isEmpty();
    }

    @Provide
    Arbitrary<String> deviceLike() {
        Arbitrary<String> nearBdf = Arbitraries.strings().withChars("0123456789abcdefABCDEFxX:.- ").ofMaxLength(20);
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(40);
        return Arbitraries.oneOf(nearBdf, any).filter(s -> !s.startsWith("-") && !s.startsWith("mock:") && !s.startsWith("@"));
    }

    @Property(tries = 200)
    void anyMockSpecIsHandledInOneLine(@ForAll("mockSpecs") String spec) {
        CliRun r = run("info", spec);
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE, ExitCode.NOT_FOUND, ExitCode.NOT_SUPPORTED, ExitCode.HARDWARE));
    }

    @Provide
    Arbitrary<String> mockSpecs() {
        Arbitrary<String> key = Arbitraries.of("mac", "fault", "after", "address", "x", "");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789abcdef:.-@,").ofMaxLength(20),
                Arbitraries.of("reset-stuck", "irq-storm@3", "all-ones", "02:00:00:00:00:01", "0000:01:00.0", "-1",
                        "99999999999999999999"));
        Arbitrary<String> pair = Combinators.combine(key, value).as((k, v) -> k + "=" + v);
        Arbitrary<String> query = pair.list().ofMaxSize(4).map(l -> String.join("&", l));
        return Combinators.combine(Arbitraries.of("82574L", "82574l", "e1000e", "", "nope"), query)
                .as((m, q) -> "mock:" + m + (q.isEmpty() ? "" : "?" + q));
    }

    // ------------------------------------------------------------------ MAC

    @Property(tries = 200)
    void anyDestinationMacIsSentOrRefusedInOneLine(@ForAll("macLike") String mac) {
        CliRun r = run("send", "mock:82574L", "--count", "1", "--size", "64", "--dst", mac);
        boolean wellFormed = mac.matches("[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");
        assertThat(r.exitCode()).as(mac + ": " + r.err()).isEqualTo(wellFormed ? 0 : ExitCode.USAGE.code());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
        if (!wellFormed) {
            assertThat(r.err()).contains("invalid MAC address for --dst");
        }
    }

    @Provide
    Arbitrary<String> macLike() {
        Arbitrary<String> octet = Arbitraries.strings().withChars("0123456789abcdefABCDEFg").ofMinLength(1).ofMaxLength(3);
        Arbitrary<String> sep = Arbitraries.of(":", "-", ".", "");
        Arbitrary<String> near = Combinators.combine(octet.list().ofMinSize(5).ofMaxSize(7), sep)
                .as((o, s) -> String.join(s, o));
        return Arbitraries.oneOf(near, Arbitraries.strings().ofMaxLength(20)).filter(s -> !s.startsWith("-"));
    }

    // ------------------------------------------------------------------ parameter file

    @Property(tries = 150)
    void anyParameterFileBringsUpWithDefaultsOrIsRefusedInOneLine(@ForAll("parameterFiles") String text) throws IOException {
        Path f = Files.createTempFile(dir, "params", ".ini");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        CliRun r = run("bringup", "mock:82574L", "--params", f.toString());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
        if (r.exitCode() == ExitCode.USAGE.code()) {
            assertThat(r.err()).contains("parameter file");
        }
    }

    @Provide
    Arbitrary<String> parameterFiles() {
        Arbitrary<String> keyword = Arbitraries.of("*ReceiveBuffers", "*TransmitBuffers", "*JumboPacket", "*SpeedDuplex",
                "*FlowControl", "*InterruptModeration", "NetworkAddress", "InterruptMode", "Bogus", "*", "");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.integers().between(-5, 100_000).map(String::valueOf),
                Arbitraries.strings().ofMaxLength(15), Arbitraries.of("0x10", "02:00:00:00:00:01", "020000000001", ""));
        Arbitrary<String> line = Arbitraries.oneOf(Combinators.combine(keyword, Arbitraries.of("=", " = ", ":", ""), value)
                .as((k, s, v) -> k + s + v), Arbitraries.of("[*]", "[0000:00:01.0]", "[broken", "# comment", "; c", ""),
                Arbitraries.strings().ofMaxLength(30));
        return line.list().ofMaxSize(8).map(l -> String.join("\n", l));
    }

    @Property(tries = 5)
    void aParameterFileLargerThanAnyRealOneIsRefusedWithoutReadingIt(@ForAll @IntRange(min = 1, max = 4) int mib)
            throws IOException {
        Path f = Files.createTempFile(dir, "huge", ".ini");
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'\n'}), ((long) mib << 20) + 1);   // sparse
        }
        CliRun r = run("bringup", "mock:82574L", "--params", f.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).startsWith("nicup: parameter file too large");
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
    }

    // ------------------------------------------------------------------ pcap

    @Property(tries = 200)
    void anyPcapIsSentOrRefusedInOneLineWithoutUnboundedAllocation(@ForAll("pcaps") byte[] file) throws IOException {
        Path f = Files.createTempFile(dir, "in", ".pcap");
        Files.write(f, file);
        CliRun r = run("send", "mock:82574L", "--pcap", f.toString());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
    }

    /** Pcap files built from lies: wrong magic, odd versions, snaplen and record lengths that lie, cut short. */
    @Provide
    Arbitrary<byte[]> pcaps() {
        Arbitrary<Integer> magic = Arbitraries.oneOf(Arbitraries.of(Pcap.MAGIC_MICROS, Pcap.MAGIC_NANOS, 0x0A0D0D0A,
                Integer.reverseBytes(Pcap.MAGIC_MICROS)), Arbitraries.integers());
        Arbitrary<Integer> snaplen = Arbitraries.oneOf(Arbitraries.of(0, 14, 60, 1514, 65535, -1, Integer.MAX_VALUE),
                Arbitraries.integers());
        Arbitrary<Integer> linkType = Arbitraries.of(1, 1, 1, 0, 105, 276);
        Arbitrary<int[]> record = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.integers().between(0, 1600), Arbitraries.of(-1, 1 << 30, 16385, 65536)),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 1600), Arbitraries.of(-1, 1 << 30)),
                Arbitraries.integers().between(0, 1600))
                .as((caplen, len, actual) -> new int[] {caplen, len, actual});
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 100);
        return Combinators.combine(magic, snaplen, linkType, record.list().ofMaxSize(5), cut)
                .as((m, s, lt, records, cutPercent) -> {
                    ByteBuffer b = ByteBuffer.allocate(24 + records.size() * (16 + 1600)).order(ByteOrder.LITTLE_ENDIAN);
                    b.putInt(m).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(s).putInt(lt);
                    int seq = 0;
                    for (int[] rec : records) {
                        b.putInt(seq).putInt(0).putInt(rec[0]).putInt(rec[1]);
                        for (int i = 0; i < rec[2]; i++) {
                            b.put((byte) (i < 6 ? 0x02 : i + seq));
                        }
                        seq++;
                    }
                    byte[] all = new byte[b.position()];
                    b.flip().get(all);
                    int keep = cutPercent >= 50 ? all.length : all.length * cutPercent / 50;
                    return java.util.Arrays.copyOf(all, keep);
                });
    }

    @Property(tries = 50)
    void arbitraryBytesAsAPcapAreOneLine(@ForAll @Size(max = 300) byte[] junk) throws IOException {
        Path f = Files.createTempFile(dir, "junk", ".pcap");
        Files.write(f, junk);
        CliRun r = run("send", "mock:82574L", "--pcap", f.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
    }

    // ------------------------------------------------------------------ frame sizes

    @Property(tries = 100)
    void frameSizesAreAcceptedExactlyFromTheHeaderToMtuPlus14(@ForAll("sizes") int size) {
        CliRun r = run("send", "mock:82574L", "--count", "2", "--size", String.valueOf(size), "--dst", "02:00:00:00:00:02");
        boolean fits = size >= 14 && size <= 1500 + 14;
        assertThat(r.exitCode()).as(size + ": " + r.err()).isEqualTo(fits ? 0 : ExitCode.USAGE.code());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
        if (fits) {
            assertThat(r.out()).contains("sent 2 frames, " + 2 * size + " bytes", "mock wire: 2 frames captured");
        } else {
            assertThat(r.err()).containsAnyOf("runt", "exceeds MTU");
        }
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(Arbitraries.of(-1, 0, 13, 14, 59, 60, 64, 1513, 1514, 1515, 1518, 9014, 9015, 16384,
                Integer.MAX_VALUE, Integer.MIN_VALUE), Arbitraries.integers().between(-100, 20_000));
    }

    @Property(tries = 20)
    void withJumboFramesTheLimitMovesToTheJumboMtu(@ForAll("jumboSizes") int size) throws IOException {
        Path f = Files.createTempFile(dir, "jumbo", ".ini");
        Files.writeString(f, "*JumboPacket = 9014\n");
        CliRun r = run("send", "mock:82574L", "--params", f.toString(), "--count", "1", "--size", String.valueOf(size),
                "--dst", "02:00:00:00:00:02");
        assertThat(r.exitCode()).as(size + ": " + r.err()).isEqualTo(size <= 9014 ? 0 : ExitCode.USAGE.code());
    }

    @Provide
    Arbitrary<Integer> jumboSizes() {
        return Arbitraries.of(1515, 9000, 9013, 9014, 9015, 9018);
    }

    // ------------------------------------------------------------------ option combinations

    @Property(tries = 250)
    void anyCombinationOfOptionsIsRunOrRefusedInOneLine(@ForAll("commandLines") List<String> args) {
        CliRun r = run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(args + ": " + r.err()).isNotEqualTo(ExitCode.INTERNAL.code());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE, ExitCode.NOT_FOUND, ExitCode.NOT_SUPPORTED, ExitCode.HARDWARE,
                ExitCode.SELFTEST_FAILED));
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> command = Arbitraries.of("send", "recv", "loopback", "bringup", "selftest", "regs", "stats",
                "info", "list", "bind", "unbind", "nope", "");
        Arbitrary<List<String>> option = Arbitraries.oneOf(
                Arbitraries.of("--count", "--size", "--rate", "--timeout").flatMap(o -> Arbitraries.oneOf(
                        Arbitraries.of("0", "1", "64", "-3", "x", "99999999999", "10000001"),
                        Arbitraries.integers().between(-2, 3000).map(String::valueOf)).map(v -> List.of(o, v))),
                Arbitraries.of(List.of("--dst", "02:00:00:00:00:02"), List.of("--dst", "zz"), List.of("--pcap", "/nonexistent.pcap"),
                        List.of("--hold"), List.of("--promiscuous"), List.of("--json"), List.of("--quiet"), List.of("--all"),
                        List.of("--force"), List.of("--restore"), List.of("--params"), List.of("--count"),
                        List.of("--inject", "/nonexistent.pcap"), List.of("--capture", "/nonexistent/dir/x.pcap"),
                        List.of("--bogus"), List.of("mock:82574L"), List.of("0000:01:00.0"), List.of("mock:82574L?fault=link-down")));
        return Combinators.combine(command, option.list().ofMaxSize(5)).as((c, opts) -> {
            List<String> args = new ArrayList<>();
            if (!c.isEmpty()) {
                args.add(c);
            }
            opts.forEach(args::addAll);
            return args;
        }).filter(a -> !a.contains("--hold"));   // --hold waits for a signal by design (see HoldTeardownTest)
    }
}
