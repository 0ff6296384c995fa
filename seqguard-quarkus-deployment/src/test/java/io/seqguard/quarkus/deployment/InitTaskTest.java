package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusProdModeTest;
import io.seqguard.test.TestDatabase;
import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;

import java.util.Map;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The init task as a Kubernetes Job runs it: the packaged application, started with {@code quarkus.init-and-exit}
 * and {@code quarkus.seqguard.mode=repair} (the task's {@code QUARKUS_INIT_AND_EXIT=true} and
 * {@code QUARKUS_SEQGUARD_MODE=repair}) over an application configured to verify, as its pods are: Flyway migrates,
 * the guard repairs, and the process exits with 0.
 */
class InitTaskTest {

    private static TestDatabase database;

    @RegisterExtension
    static final QuarkusProdModeTest APP = new QuarkusProdModeTest()
            .setArchiveProducer(InitTaskTest::application)
            .setApplicationName("shop")
            .setApplicationVersion("1")
            .setRun(true)
            .setExpectExit(true)
            // the packaged application has the runtime halves of the extensions this module's tests build with
            .setForcedDependencies(Stream.of("quarkus-jdbc-postgresql", "quarkus-flyway", "quarkus-liquibase",
                    "quarkus-hibernate-orm-panache", "quarkus-smallrye-health", "quarkus-micrometer")
                    .map(extension -> Dependency.of("io.quarkus", extension, Version.getVersion())).toList())
            .setRuntimeProperties(Map.of("quarkus.init-and-exit", "true", "quarkus.seqguard.mode", "repair"));

    private static JavaArchive application() {
        database = TestDatabase.create("quarkus_init_task");
        return ShrinkWrap.create(JavaArchive.class)
                .addAsResource("db/orders/V1__orders.sql", "db/migration/V1__orders.sql")
                .addAsResource(new StringAsset(TestApps.QUARKUS
                        + "quarkus.datasource.jdbc.url=" + database.jdbcUrl() + "\n"
                        + "quarkus.flyway.migrate-at-start=true\n"
                        + "quarkus.seqguard.mode=verify\n"
                        + "quarkus.seqguard.exclude-tables=legacy\n"), "application.properties");
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void theTaskMigratedRepairedAndExited() {
        assertThat(APP.getExitCode()).as(APP.getStartupConsoleOutput()).isZero();
        assertThat(APP.getStartupConsoleOutput())
                .contains("seqguard startup guard (mode repair): repaired")
                .doesNotContain("ERROR [io.seqguard");
        assertThat(database.queryForLong("select count(*) from flyway_schema_history where success")).isEqualTo(1);
        // the sequence now hands out ids past the imported rows
        assertThat(database.queryForLong("select nextval('\"Orders; DROP TABLE x_id_seq\"')")).isEqualTo(41);
        // left out by configuration: not touched
        assertThat(database.queryForLong("select nextval('legacy_id_seq')")).isEqualTo(1);
    }
}
