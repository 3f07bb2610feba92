package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every family's send and loopback must show after a surprise removal mid-traffic (the mock's
 * {@code fault=all-ones@N}): exit 8 with the one "device removed" line, and a summary (human or JSON)
 * that counts every frame asked for once, which the mock wire agrees with.
 */
final class RemovalAccounting {

    private RemovalAccounting() {
    }

    /**
     * The summary's counts. {@code frames} are the confirmed sends (send) or the frames that came back
     * (loopback); the next three are where the frames the removal caught went, and {@code paused} the sends
     * its pause gave back unsent (NDIS_STATUS_PAUSED: not sent, no error).
     */
    record Counts(long frames, long errors, long drops, long unconfirmed, long aborted, long notSubmitted, long paused) {
        long sum() {
            return frames + errors + drops + unconfirmed + aborted + notSubmitted + paused;
        }
    }

    /** Runs {@code send DEVICE?fault=all-ones@50 --count 200} with a capture; checks the run, returns the counts. */
    static Counts send(Environment env, String device, Path tmp, boolean json) {
        Path wire = tmp.resolve("wire" + (json ? "-json" : "") + ".pcap");
        List<String> args = new ArrayList<>(List.of("send", device + "?fault=all-ones@50", "--count", "200", "--size",
                "64", "--dst", "02:00:00:00:00:01", "--capture", wire.toString()));
        if (json) {
            args.addFirst("--json");
        }
        CliRun r = CliRun.run(env, args.toArray(String[]::new));

        assertRemovedInOneLine(r);
        Counts c = json ? fromJson(r.out()) : fromLine(r.out(), "sent");
        assertThat(c.sum()).as("every frame counted once: %s\n%s", c, r.out()).isEqualTo(200);
        assertThat(c.errors()).as(r.out()).isZero();
        assertThat(c.drops()).as(r.out()).isZero();
        int onWire = Pcap.readAll(wire, 1000).size();
        assertThat((long) onWire).as("the wire: at least the confirmed frames, at most those and the unconfirmed")
                .isBetween(c.frames(), c.frames() + c.unconfirmed());
        if (json) {
            assertThat(r.out()).contains("\"device_removed\":true", "\"wire_frames\":" + onWire);
        } else {
            assertThat(r.out()).contains("mock wire: " + onWire + " frames captured");
        }
        return c;
    }

    /** Runs {@code loopback DEVICE?fault=all-ones@10 --count 64}; checks the run, returns the counts. */
    static Counts loopback(Environment env, String device, boolean json) {
        List<String> args = new ArrayList<>(List.of("loopback", device + "?fault=all-ones@10", "--count", "64"));
        if (json) {
            args.addFirst("--json");
        }
        CliRun r = CliRun.run(env, args.toArray(String[]::new));

        assertRemovedInOneLine(r);
        Counts c = json ? fromJson(r.out()) : fromLine(r.out(), "looped back");
        assertThat(c.sum()).as("every frame counted once: %s\n%s", c, r.out()).isEqualTo(64);
        assertThat(c.errors()).as(r.out()).isZero();
        assertThat(c.frames()).as("the device looped some back before it went").isPositive();
        assertThat(c.unconfirmed() + c.aborted() + c.notSubmitted()).as(r.out()).isPositive();
        return c;
    }

    private static void assertRemovedInOneLine(CliRun r) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().lines().filter(l -> !l.contains("Ctrl-C"))).singleElement().asString()
                .startsWith("nicup: device removed: it reads all-ones")
                .contains("adapter halted with NdisHaltDeviceSurpriseRemoved");
    }

    /** The counts from the human summary line ("VERB N frames, ... E errors, D drops; at the removal: ..."). */
    static Counts fromLine(String out, String verb) {
        String line = out.lines().filter(l -> l.startsWith(verb + " ")).findFirst().orElseThrow();
        assertThat(line).contains("; at the removal: ");
        long queued = number(line, "(\\d+) queued in the driver");
        long notSubmitted = number(line, "(\\d+) not submitted");
        long never = number(line, "(\\d+) never handed to the device");
        assertThat(never).as(line).isEqualTo(queued + notSubmitted);
        return new Counts(number(line, "^" + verb + " (\\d+) frames"), number(line, "(\\d+) errors"),
                number(line, "(\\d+) drops"), number(line, "(\\d+) on the ring unconfirmed \\(may have reached the wire\\)"),
                queued, notSubmitted, number(line, "(\\d+) not sent \\(paused\\)"));
    }

    /** The counts from the JSON summary object. */
    static Counts fromJson(String out) {
        String summary = out.substring(out.indexOf("\"summary\":{"));
        summary = summary.substring(0, summary.indexOf('}'));
        return new Counts(field(summary, "frames"), field(summary, "errors"), field(summary, "drops"),
                field(summary, "unconfirmed"), field(summary, "aborted"), field(summary, "not_submitted"),
                field(summary, "not_sent_paused"));
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The number the first group of {@code regex} finds in {@code line}, 0 when it is not there. */
    private static long number(String line, String regex) {
        Matcher m = Pattern.compile(regex).matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
