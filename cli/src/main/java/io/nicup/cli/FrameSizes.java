package io.nicup.cli;

import java.util.Arrays;

/**
 * The sizes of {@code send --size}: one size, a sweep {@code A-B[:STEP]} (A, A+STEP, ... up to B) or a list
 * {@code A,B,C}. Frame i has the size at {@code i % n}, so a sweep repeats while --count lasts.
 */
record FrameSizes(int[] sizes) {

    /** More sizes than this is a typing mistake (a step of 1 over the jumbo range is 9000). */
    static final int MAX_SIZES = 10_000;

    static FrameSizes parse(String text) {
        try {
            int dash = text.indexOf('-', 1);
            if (dash > 0) {
                String[] range = text.substring(dash + 1).split(":", -1);
                int from = Integer.parseInt(text.substring(0, dash));
                int to = Integer.parseInt(range[0]);
                int step = range.length == 2 ? Integer.parseInt(range[1]) : 1;
                if (range.length > 2 || from > to || step < 1 || (to - (long) from) / step + 1 > MAX_SIZES) {
                    throw invalid(text);
                }
                int[] sizes = new int[(to - from) / step + 1];
                for (int i = 0; i < sizes.length; i++) {
                    sizes[i] = from + i * step;
                }
                return new FrameSizes(sizes);
            }
            String[] list = text.split(",", -1);
            if (list.length > MAX_SIZES) {
                throw invalid(text);
            }
            return new FrameSizes(Arrays.stream(list).mapToInt(s -> Integer.parseInt(s.strip())).toArray());
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static CliException invalid(String text) {
        return new CliException(ExitCode.USAGE, "invalid --size '" + text + "'",
                "give BYTES, a sweep A-B[:STEP] with A <= B (at most " + MAX_SIZES + " sizes), or a list A,B,C");
    }

    int at(int seq) {
        return sizes[seq % sizes.length];
    }

    int min() {
        return Arrays.stream(sizes).min().orElseThrow();
    }

    int max() {
        return Arrays.stream(sizes).max().orElseThrow();
    }

    /** The bytes of the first {@code frames} frames: whole rounds of the list, then the start of one. */
    long bytes(long frames) {
        long round = Arrays.stream(sizes).asLongStream().sum();
        long bytes = frames / sizes.length * round;
        for (int i = 0; i < frames % sizes.length; i++) {
            bytes += sizes[i];
        }
        return bytes;
    }
}
