package io.nicup.mock.e82574;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every injectable 82574 fault has a test in one of the fault classes listed here, and faults combine. */
class FaultTest {

    /** The classes that test the faults one by one. */
    private static final java.util.List<Class<?>> FAULT_TESTS = java.util.List.of(RegisterFaultTest.class,
            LinkInterruptFaultTest.class, ReceiveFaultTest.class, TransmitFaultTest.class);

    @Test
    void mdicStuckIsAnExtraFaultAndEveryFaultHasATestHere() {
        java.util.Set<String> methods = FAULT_TESTS.stream()
                .flatMap(c -> java.util.Arrays.stream(c.getDeclaredMethods())).map(java.lang.reflect.Method::getName)
                .collect(java.util.stream.Collectors.toSet());
        for (E82574Fault fault : E82574Fault.values()) {
            StringBuilder camel = new StringBuilder();
            for (String part : fault.specName().split("-")) {
                camel.append(camel.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
            }
            assertThat(methods).as("a test for %s", fault.specName())
                    .anyMatch(m -> m.startsWith(camel.toString() + "Should"));
        }
    }

    @Test
    void severalFaultsShouldCombine() {
        try (Fixture f = Fixture.open("&fault=nvm-checksum,link-down&fault=mdic-error")) {
            assertThat(f.model.faults()).containsExactlyInAnyOrder(E82574Fault.NVM_CHECKSUM, E82574Fault.LINK_DOWN,
                    E82574Fault.MDIC_ERROR);
            assertThat(f.model.linkUp()).isFalse();
            assertThat(f.model.nvm().checksum()).isNotEqualTo(Nvm.SUM);
        }
    }
}
