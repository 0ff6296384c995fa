package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs two {@link PostgresTest} classes through the JUnit engine and inspects what they saw. */
class PostgresExtensionIsolationTest {

    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @PostgresTest
    static class First {

        @Test
        void record(TestDatabase database) {
            SEEN.put("first", database.name());
            database.execute("CREATE TABLE only_in_first (id int)");
        }
    }

    @PostgresTest
    static class Second {

        @Test
        void record(TestDatabase database) {
            SEEN.put("second", database.name());
            assertThat(database.queryForLong("SELECT count(*) FROM pg_class WHERE relname = 'only_in_first'"))
                    .isZero();
        }
    }

    @Test
    void eachClassGetsItsOwnDatabaseWhichIsDroppedAfterTheClass() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(First.class), selectClass(Second.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));

        assertThat(SEEN.get("first")).startsWith("first_");
        assertThat(SEEN.get("second")).startsWith("second_");
        try (TestDatabase probe = TestDatabase.create("probe")) {
            assertThat(probe.queryForLong("SELECT count(*) FROM pg_database WHERE datname IN ('"
                    + SEEN.get("first") + "', '" + SEEN.get("second") + "')")).isZero();
        }
    }
}
