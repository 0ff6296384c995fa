package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A value the build did not see (set at run time, as an environment variable or a system property would be) that
 * seqguard does not accept: start-up stops before any guard runs, naming the key.
 */
class BadConfigurationStopsStartUpTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .setArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class).addAsResource(new StringAsset(
                    TestApps.QUARKUS + TestApps.database("")), "application.properties"))
            .overrideRuntimeConfigKey("quarkus.seqguard.jobs", "two")
            .assertException(e -> assertThat(rootCause(e))
                    .hasMessageContaining("seqguard's configuration is invalid, so no datasource was guarded")
                    .hasMessageContaining("quarkus.seqguard.jobs: 'two' is not a whole number"));

    @Test
    void startUpStopped() {
        // the assertion is the extension's: start-up was expected to fail, and how
    }

    static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
