package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A misspelt key, a datasource that does not exist and a value that does not convert, all in
 * {@code application.properties}: the build fails, naming each key and what is accepted. Quarkus itself would only
 * warn about the unknown keys, and the guard would have repaired.
 */
class BadConfigurationFailsTheBuildTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .setArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class).addAsResource(new StringAsset(
                    TestApps.QUARKUS + TestApps.database("")
                            + "quarkus.seqguard.moode=verify\n"
                            + "quarkus.seqguard.\"defualt\".mode=verify\n"
                            + "quarkus.seqguard.lock-timeout=ten\n"), "application.properties"))
            .assertException(e -> assertThat(e)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("quarkus.seqguard.moode: 'moode' is no seqguard option; the options are "
                            + "enabled, mode,")
                    .hasMessageContaining("quarkus.seqguard.\"defualt\".mode: there is no datasource 'defualt'; the "
                            + "datasources are \"<default>\"")
                    .hasMessageContaining("quarkus.seqguard.lock-timeout: 'ten' is not a duration; use for example "
                            + "10s")
                    // where each is set
                    .hasMessageContaining("application.properties"));

    @Test
    void theBuildFailed() {
        // the assertion is the extension's: the build was expected to fail, and how
    }
}
