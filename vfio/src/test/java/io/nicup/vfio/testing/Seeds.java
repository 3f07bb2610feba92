package io.nicup.vfio.testing;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The seeds of a {@link SeededTest}: {@code cases} seeds drawn from a fixed base, so a run is
 * reproducible. {@code -Dnicup.seed=N} replaces them with the one seed N (to replay a failure);
 * {@code -Dnicup.seed.base=N} draws another set (to explore beyond the fixed cases).
 */
public final class Seeds implements ArgumentsProvider {

    /** The fixed base seed every ordinary run uses. */
    public static final long BASE = 0x6E69_6375_7031_35L;

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        SeededTest test = context.getRequiredTestMethod().getAnnotation(SeededTest.class);
        return of(test.cases()).map(Arguments::of);
    }

    /** {@code count} generators, one per seed, or the one of {@code -Dnicup.seed} when it is set. */
    public static Stream<Gen> of(int count) {
        String one = System.getProperty("nicup.seed", "");
        if (!one.isBlank()) {
            return Stream.of(new Gen(Long.decode(one.strip())));
        }
        SplittableRandom seeds = new SplittableRandom(Long.getLong("nicup.seed.base", BASE));
        return Stream.generate(seeds::nextLong).limit(count).map(Gen::new);
    }
}
