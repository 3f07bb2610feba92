package io.nicup.benchmarks.report;

/**
 * One score: mean and error (99.9% half-width for JMH, standard deviation for C), and the median and
 * minimum over the measurement iterations (robust against the other tenants of a shared machine).
 */
record Score(double mean, double error, double median, double min) {
    Score withIterations(double median, double min) {
        return new Score(mean, error, median, min);
    }
}
