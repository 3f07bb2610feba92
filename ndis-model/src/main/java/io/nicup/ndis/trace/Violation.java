package io.nicup.ndis.trace;

/**
 * One broken rule.
 *
 * @param driver the driver's name, or "" when none is involved
 * @param adapter the adapter's name (PCI address), or ""
 * @param detail key=value facts about this occurrence
 * @param timestampNanos device-clock time
 */
public record Violation(Rule rule, String driver, String adapter, String detail, long timestampNanos) {

    /** One line: rule id and name, where, what, and the rule with its source. */
    public String describe() {
        StringBuilder b = new StringBuilder("rule=").append(rule.id()).append(' ').append(rule.name());
        if (!driver.isEmpty()) {
            b.append(" driver=").append(driver);
        }
        if (!adapter.isEmpty()) {
            b.append(" adapter=").append(adapter);
        }
        if (!detail.isEmpty()) {
            b.append(' ').append(detail);
        }
        return b.append(" | ").append(rule.text()).append(" [").append(rule.source()).append(']').toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
