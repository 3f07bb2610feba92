package io.nicup.cli;

import java.util.List;
import java.util.Map;

/**
 * What a command found, as one typed record rendered two ways: {@link #json()} for {@code --json} and
 * {@link #lines()} for people. Both come from the same fields, so they cannot disagree.
 */
interface Report {

    /** The JSON document, keys in the order they are printed. */
    Map<String, Object> json();

    /** The human-readable lines; {@code quiet} (--quiet) keeps only the result. */
    List<String> lines(boolean quiet);
}
