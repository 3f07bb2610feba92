package io.nicup.vfio.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A seeded source of test values for {@link SeededTest}s. Bounded draws land on an end of their range
 * one time in eight, and sizes on their minimum or maximum, so the edges are tried as often as the
 * middle; everything follows from the seed, which {@link #toString()} names.
 */
public final class Gen {

    static final String NAME_PREFIX = "seed=";

    private final long seed;
    private final SplittableRandom random;

    public Gen(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** A value in {@code [min, max]}, either end one time in eight. */
    public int between(int min, int max) {
        return switch (random.nextInt(16)) {
            case 0 -> min;
            case 1 -> max;
            default -> (int) random.nextLong(min, (long) max + 1);
        };
    }

    /** Any long, 0, 1, -1 and the extremes included now and then. */
    public long anyLong() {
        return switch (random.nextInt(32)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> -1;
            case 3 -> Long.MAX_VALUE;
            case 4 -> Long.MIN_VALUE;
            default -> random.nextLong();
        };
    }

    public boolean bool() {
        return random.nextBoolean();
    }

    /** True {@code percent} times in a hundred. */
    public boolean percent(int percent) {
        return random.nextInt(100) < percent;
    }

    @SafeVarargs
    public final <T> T oneOf(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    public <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** A list of {@code min..max} elements drawn from {@code element}. */
    public <T> List<T> listOf(int min, int max, Supplier<T> element) {
        int size = between(min, max);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    /** A string of {@code min..max} characters taken from {@code alphabet}. */
    public String string(String alphabet, int min, int max) {
        int length = between(min, max);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /**
     * Any text of up to {@code max} code points: printable ASCII, control characters (line breaks
     * included), any BMP character and characters beyond it (surrogate pairs). No lone surrogates: text
     * from a command line or a file never has them.
     */
    public String anyString(int max) {
        int length = between(0, max);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20, 0x7F);
                case 1 -> random.nextInt(0, 0x20);
                case 2 -> random.nextInt(0x10000, Character.MAX_CODE_POINT + 1);
                default -> {
                    int c = random.nextInt(0, 0x10000 - 0x800);
                    yield c < 0xD800 ? c : c + 0x800;
                }
            });
        }
        return s.toString();
    }

    /** {@code min..max} random bytes. */
    public byte[] bytes(int min, int max) {
        byte[] b = new byte[between(min, max)];
        random.nextBytes(b);
        return b;
    }

    /** An independent stream of randomness for code that takes a {@link java.util.Random}. */
    public java.util.Random random() {
        return new java.util.Random(random.nextLong());
    }

    @Override
    public String toString() {
        return NAME_PREFIX + seed;
    }
}
