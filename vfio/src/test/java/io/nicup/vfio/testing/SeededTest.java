package io.nicup.vfio.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A randomized invariant test: the method takes one {@link Gen} and runs once per seed, {@link #cases()}
 * times. The seeds come from a fixed base ({@link Seeds}), so every run checks the same cases; a failing
 * case names its seed in its display name and in the failure message, and {@code -Dnicup.seed=N} runs
 * that case alone.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@ArgumentsSource(Seeds.class)
@ExtendWith(SeedReporter.class)
public @interface SeededTest {

    /** How many seeds (cases) to run. */
    int cases() default 1000;
}
