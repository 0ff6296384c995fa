package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.seqguard.test.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guard holds one connection for its lock and reads with up to {@code jobs} more: a Hikari pool that lends fewer
 * is read with fewer jobs, one that lends a single connection is refused at once, naming the pool's property.
 */
class PoolSizeTest {

    @Test
    void aSmallPoolIsReadWithFewerJobsAndAPoolOfOneIsRefused() {
        try (TestDatabase books = TestDatabase.create("micronaut_pool")) {
            PrintStream err = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (ApplicationContext context = TestApps.start(TestApps.merge(
                    TestApps.dataSource("default", books, "books"),
                    Map.of("datasources.default.maximum-pool-size", 2, "seqguard.jobs", 4)))) {
                assertThat(context.getBean(SeqguardRuns.class).latest("default").orElseThrow().passed()).isTrue();
            } finally {
                System.setErr(err);
            }
            assertThat(captured.toString(StandardCharsets.UTF_8)).contains("seqguard: data source 'default' lends at "
                    + "most 2 connections; reading with 1 job(s) instead of 4 (seqguard.jobs)");
            assertThat(TestApps.nextValue(books, "book_id_seq")).isEqualTo(4);

            Throwable thrown = catchThrowable(() -> TestApps.start(TestApps.merge(
                    TestApps.dataSource("default", books, "books"),
                    // Flyway itself needs two connections of the pool
                    Map.of("datasources.default.maximum-pool-size", 1, "flyway.datasources.default.enabled", false)))
                    .close());
            assertThat(TestApps.causes(thrown).filter(ConfigurationException.class::isInstance)
                    .map(Throwable::getMessage)).anySatisfy(message -> assertThat(message)
                            .contains("is a Hikari pool of at most 1 connection")
                            .contains("Raise datasources.default.maximum-pool-size to 2 or more"));
        }
    }
}
