package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shop of {@link RepairAtStartTest} with the guard off: the first entity written at start-up collides with an
 * imported row, which is what the guard is there to prevent.
 */
class GuardOffTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .setArchiveProducer(() -> TestApps.shop("quarkus.seqguard.enabled=false\n"))
            .assertException(e -> assertThat(BadConfigurationStopsStartUpTest.rootCause(e))
                    .hasMessageContaining("duplicate key value violates unique constraint"));

    @Test
    void startUpFailedOnADuplicateKey() {
        // the assertion is the extension's: start-up was expected to fail, and how
    }
}
