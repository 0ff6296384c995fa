package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micronaut.context.ApplicationContext;
import io.seqguard.test.TestDatabase;

import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same application twice on the same data: with seqguard the start-up insert succeeds, without it (globally or
 * for the one data source) it collides with a row Flyway loaded, and start-up fails.
 */
class GuardOnOffTest {

    private static Map<String, Object> application(TestDatabase database, Map<String, Object> seqguard) {
        return TestApps.merge(TestApps.dataSource("default", database, "books"),
                Map.of(StartupInsert.ENABLED, true), seqguard);
    }

    @Test
    void withTheGuardTheStartUpInsertSucceeds() {
        try (TestDatabase database = TestDatabase.create("micronaut_on");
                ApplicationContext context = TestApps.start(application(database, Map.of()))) {
            assertThat(context.getBean(StartupInsert.class).saved().id()).isEqualTo(4L);
        }
    }

    @Test
    void withTheGuardDisabledTheSameInsertFails() {
        try (TestDatabase database = TestDatabase.create("micronaut_off")) {
            Throwable thrown = catchThrowable(() -> TestApps.start(
                    application(database, Map.of(SeqguardDataSourceListener.ENABLED, false))).close());
            assertDuplicateKey(thrown);
            assertThat(TestApps.nextValue(database, "book_id_seq")).as("nextval() was called once").isEqualTo(2);
        }
    }

    @Test
    void withTheGuardDisabledForTheDataSourceTheSameInsertFails() {
        try (TestDatabase database = TestDatabase.create("micronaut_off_ds")) {
            Throwable thrown = catchThrowable(() -> TestApps.start(
                    application(database, Map.of("seqguard.datasources.default.enabled", false))).close());
            assertDuplicateKey(thrown);
        }
    }

    @Test
    void modeOffTouchesNothingAndTheSameInsertFails() {
        try (TestDatabase database = TestDatabase.create("micronaut_mode_off")) {
            Throwable thrown = catchThrowable(() -> TestApps.start(
                    application(database, Map.of("seqguard.datasources.default.mode", "off"))).close());
            assertDuplicateKey(thrown);
        }
    }

    private static void assertDuplicateKey(Throwable thrown) {
        assertThat(thrown).as("start-up fails").isNotNull();
        SQLException sql = TestApps.sqlCause(thrown);
        assertThat((Throwable) sql).as("caused by an SQLException: %s", thrown).isNotNull();
        assertThat(sql.getSQLState()).isEqualTo("23505");
        assertThat(sql.getMessage()).contains("book_pkey");
    }
}
