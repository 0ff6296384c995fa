package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pool that lends one connection cannot hold the guard's lock and read: start-up stops, naming the pool's key. */
class PoolOfOneTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            // no Flyway here: it needs two connections itself and would fail first
            .setArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class).addAsResource(new StringAsset(
                    TestApps.QUARKUS + TestApps.database("") + "quarkus.datasource.jdbc.max-size=1\n"),
                    "application.properties"))
            .assertException(e -> assertThat(BadConfigurationStopsStartUpTest.rootCause(e))
                    .hasMessageContaining("seqguard: the default datasource is a pool of at most 1 connection, but "
                            + "seqguard's startup guard needs 2 at once (one holds its lock, one reads). Raise "
                            + "quarkus.datasource.jdbc.max-size to 2 or more, or set quarkus.seqguard.enabled=false."));

    @Test
    void startUpStopped() {
        // the assertion is the extension's: start-up was expected to fail, and how
    }
}
