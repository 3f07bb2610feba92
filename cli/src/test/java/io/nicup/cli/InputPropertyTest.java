package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
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
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every input a user can feed nicup, fuzzed through the command line: a DEVICE (BDF or mock spec), a MAC,
 * a parameter file, a pcap file (truncated, wrong magic, lying snaplen and lengths, huge records), frame
 * sizes around the MTU, and combinations of options. Whatever the input: no crash (exit 1 is a bug), no
 * hang (each run has a deadline), and a failure is exactly one line on stderr with the documented exit code.
 */
class InputPropertyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Environment ENV = new Environment(() -> {
        throw new CliException(ExitCode.NOT_FOUND, "no such device in this test", "");
    }, PciIds.none());
    @TempDir
    static Path dir;

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

    @SeededTest(cases = 300)
    void anyDeviceArgumentIsAUsageErrorOrNotFound(Gen gen) {
        String device = deviceLike(gen);
        CliRun r = run("regs", device);
        assertThat(r.exitCode()).as(device + ": " + r.err()).isIn(ExitCode.USAGE.code(), ExitCode.NOT_FOUND.code());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE, ExitCode.NOT_FOUND));
        assertThat(r.out()).isEmpty();
    }

    private static String deviceLike(Gen gen) {
        return until(s -> !s.startsWith("-") && !s.startsWith("mock:") && !s.startsWith("@"),
                () -> gen.bool() ? gen.string("0123456789abcdefABCDEFxX:.- ", 0, 20) : gen.anyString(40));
    }

    /** The first value from {@code source} that {@code wanted} accepts. */
    private static <T> T until(Predicate<T> wanted, Supplier<T> source) {
        T value = source.get();
        while (!wanted.test(value)) {
            value = source.get();
        }
        return value;
    }

    @SeededTest(cases = 200)
    void anyMockSpecIsHandledInOneLine(Gen gen) {
        String spec = mockSpec(gen);
        CliRun r = run("info", spec);
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE, ExitCode.NOT_FOUND, ExitCode.NOT_SUPPORTED, ExitCode.HARDWARE));
    }

    private static String mockSpec(Gen gen) {
        List<String> pairs = gen.listOf(0, 4, () -> gen.oneOf("mac", "fault", "after", "address", "x", "") + "="
                + (gen.bool() ? gen.string("0123456789abcdef:.-@,", 0, 20)
                        : gen.oneOf("reset-stuck", "irq-storm@3", "all-ones", "02:00:00:00:00:01", "0000:01:00.0", "-1",
                                "99999999999999999999")));
        String query = String.join("&", pairs);
        return "mock:" + gen.oneOf("82574L", "82574l", "e1000e", "", "nope") + (query.isEmpty() ? "" : "?" + query);
    }

    // ------------------------------------------------------------------ MAC

    @SeededTest(cases = 200)
    void anyDestinationMacIsSentOrRefusedInOneLine(Gen gen) {
        String mac = macLike(gen);
        CliRun r = run("send", "mock:82574L", "--count", "1", "--size", "64", "--dst", mac);
        boolean wellFormed = mac.matches("[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");
        assertThat(r.exitCode()).as(mac + ": " + r.err()).isEqualTo(wellFormed ? 0 : ExitCode.USAGE.code());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
        if (!wellFormed) {
            assertThat(r.err()).contains("invalid MAC address for --dst");
        }
    }

    private static String macLike(Gen gen) {
        return until(s -> !s.startsWith("-"), () -> gen.bool()
                ? String.join(gen.oneOf(":", "-", ".", ""),
                        gen.listOf(5, 7, () -> gen.string("0123456789abcdefABCDEFg", 1, 3)))
                : gen.anyString(20));
    }

    // ------------------------------------------------------------------ parameter file

    @SeededTest(cases = 150)
    void anyParameterFileBringsUpWithDefaultsOrIsRefusedInOneLine(Gen gen) throws IOException {
        String text = parameterFile(gen);
        Path f = Files.createTempFile(dir, "params", ".ini");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        CliRun r = run("bringup", "mock:82574L", "--params", f.toString());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
        if (r.exitCode() == ExitCode.USAGE.code()) {
            assertThat(r.err()).contains("parameter file");
        }
    }

    private static String parameterFile(Gen gen) {
        Supplier<String> value = () -> switch (gen.between(0, 2)) {
            case 0 -> String.valueOf(gen.between(-5, 100_000));
            case 1 -> gen.anyString(15);
            default -> gen.oneOf("0x10", "02:00:00:00:00:01", "020000000001", "");
        };
        Supplier<String> line = () -> switch (gen.between(0, 2)) {
            case 0 -> gen.oneOf("*ReceiveBuffers", "*TransmitBuffers", "*JumboPacket", "*SpeedDuplex", "*FlowControl",
                    "*InterruptModeration", "NetworkAddress", "InterruptMode", "Bogus", "*", "")
                    + gen.oneOf("=", " = ", ":", "") + value.get();
            case 1 -> gen.oneOf("[*]", "[0000:00:01.0]", "[broken", "# comment", "; c", "");
            default -> gen.anyString(30);
        };
        return String.join("\n", gen.listOf(0, 8, line));
    }

    @ParameterizedTest(name = "{0} MiB")
    @ValueSource(ints = {1, 2, 3, 4})
    void aParameterFileLargerThanAnyRealOneIsRefusedWithoutReadingIt(int mib) throws IOException {
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

    @SeededTest(cases = 200)
    void anyPcapIsSentOrRefusedInOneLineWithoutUnboundedAllocation(Gen gen) throws IOException {
        byte[] file = pcap(gen);
        Path f = Files.createTempFile(dir, "in", ".pcap");
        Files.write(f, file);
        CliRun r = run("send", "mock:82574L", "--pcap", f.toString());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
    }

    /** Pcap files built from lies: wrong magic, odd versions, snaplen and record lengths that lie, cut short. */
    static byte[] pcap(Gen gen) {
        int magic = gen.bool() ? gen.oneOf(Pcap.MAGIC_MICROS, Pcap.MAGIC_NANOS, 0x0A0D0D0A, Integer.reverseBytes(Pcap.MAGIC_MICROS))
                : gen.between(Integer.MIN_VALUE, Integer.MAX_VALUE);
        int snaplen = gen.bool() ? gen.oneOf(0, 14, 60, 1514, 65535, -1, Integer.MAX_VALUE)
                : gen.between(Integer.MIN_VALUE, Integer.MAX_VALUE);
        int linkType = gen.oneOf(1, 1, 1, 0, 105, 276);
        List<int[]> records = gen.listOf(0, 5, () -> new int[] {
                gen.bool() ? gen.between(0, 1600) : gen.oneOf(-1, 1 << 30, 16385, 65536),
                gen.bool() ? gen.between(0, 1600) : gen.oneOf(-1, 1 << 30),
                gen.between(0, 1600)});
        int cutPercent = gen.between(0, 100);
        ByteBuffer b = ByteBuffer.allocate(24 + records.size() * (16 + 1600)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen).putInt(linkType);
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
    }

    @SeededTest(cases = 50)
    void arbitraryBytesAsAPcapAreOneLine(Gen gen) throws IOException {
        byte[] junk = gen.bytes(0, 300);
        Path f = Files.createTempFile(dir, "junk", ".pcap");
        Files.write(f, junk);
        CliRun r = run("send", "mock:82574L", "--pcap", f.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE));
    }

    // ------------------------------------------------------------------ frame sizes

    @SeededTest(cases = 100)
    void frameSizesAreAcceptedExactlyFromTheHeaderToMtuPlus14(Gen gen) {
        int size = gen.bool() ? gen.oneOf(-1, 0, 13, 14, 59, 60, 64, 1513, 1514, 1515, 1518, 9014, 9015, 16384,
                Integer.MAX_VALUE, Integer.MIN_VALUE) : gen.between(-100, 20_000);
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

    @ParameterizedTest(name = "size={0}")
    @ValueSource(ints = {1515, 9000, 9013, 9014, 9015, 9018})
    void withJumboFramesTheLimitMovesToTheJumboMtu(int size) throws IOException {
        Path f = Files.createTempFile(dir, "jumbo", ".ini");
        Files.writeString(f, "*JumboPacket = 9014\n");
        CliRun r = run("send", "mock:82574L", "--params", f.toString(), "--count", "1", "--size", String.valueOf(size),
                "--dst", "02:00:00:00:00:02");
        assertThat(r.exitCode()).as(size + ": " + r.err()).isEqualTo(size <= 9014 ? 0 : ExitCode.USAGE.code());
    }

    // ------------------------------------------------------------------ option combinations

    @SeededTest(cases = 250)
    void anyCombinationOfOptionsIsRunOrRefusedInOneLine(Gen gen) {
        List<String> args = commandLine(gen);
        CliRun r = run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(args + ": " + r.err()).isNotEqualTo(ExitCode.INTERNAL.code());
        oneLineFailureOr0(r, Set.of(ExitCode.USAGE, ExitCode.NOT_FOUND, ExitCode.NOT_SUPPORTED, ExitCode.HARDWARE,
                ExitCode.SELFTEST_FAILED));
    }

    private static List<String> commandLine(Gen gen) {
        // --hold waits for a signal by design (see HoldTeardownTest)
        return until(a -> !a.contains("--hold"), () -> {
            List<String> args = new ArrayList<>();
            String command = gen.oneOf("send", "recv", "loopback", "bringup", "selftest", "regs", "stats", "info", "list",
                    "bind", "unbind", "nope", "");
            if (!command.isEmpty()) {
                args.add(command);
            }
            gen.listOf(0, 5, () -> option(gen)).forEach(args::addAll);
            return args;
        });
    }

    private static List<String> option(Gen gen) {
        if (gen.bool()) {
            return List.of(gen.oneOf("--count", "--size", "--rate", "--timeout"), gen.bool()
                    ? gen.oneOf("0", "1", "64", "-3", "x", "99999999999", "10000001")
                    : String.valueOf(gen.between(-2, 3000)));
        }
        return gen.oneOf(List.of("--dst", "02:00:00:00:00:02"), List.of("--dst", "zz"), List.of("--pcap", "/nonexistent.pcap"),
                List.of("--hold"), List.of("--promiscuous"), List.of("--json"), List.of("--quiet"), List.of("--all"),
                List.of("--force"), List.of("--restore"), List.of("--params"), List.of("--count"),
                List.of("--inject", "/nonexistent.pcap"), List.of("--capture", "/nonexistent/dir/x.pcap"),
                List.of("--bogus"), List.of("mock:82574L"), List.of("0000:01:00.0"), List.of("mock:82574L?fault=link-down"));
    }
}
