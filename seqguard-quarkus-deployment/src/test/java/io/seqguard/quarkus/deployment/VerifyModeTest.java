package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;
import io.seqguard.StartupGuardException;
import io.seqguard.quarkus.SeqguardStartupException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mode verify over the shop's lagging sequences: start-up stops before any write, and the message names the
 * datasource, each lagging sequence with the statement that fixes it, and the Quarkus key that repairs.
 */
class VerifyModeTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .setArchiveProducer(() -> TestApps.shop("quarkus.seqguard.mode=verify\n"))
            .assertException(e -> {
                // the application's classes are not the test's: compare by name
                Throwable refusal = e;
                while (refusal != null
                        && !refusal.getClass().getName().equals(SeqguardStartupException.class.getName())) {
                    refusal = refusal.getCause();
                }
                assertThat(refusal).as("a SeqguardStartupException in the chain of %s", e).isNotNull();
                assertThat(refusal.getCause().getClass().getName()).isEqualTo(StartupGuardException.class.getName());
                assertThat(refusal.getMessage())
                        .startsWith("Quarkus datasource '<default>': ")
                        .contains("public.invoice_seq", "public.\"Order Lines; DROP TABLE x_SEQ\"",
                                "public.\"Audit \"\"log\"\"_id_seq\"")
                        .contains("would hand out ids that already exist")
                        .contains("setval(")
                        .contains("quarkus.seqguard.mode=repair");
            });

    @Test
    void startUpStoppedWithTheMessage() {
        // the assertion is the extension's: start-up was expected to fail, and how
    }
}
