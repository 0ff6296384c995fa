package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.seqguard.test.TestDatabase;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Micronaut runs the {@code BeanCreatedEventListener}s of a data source by ascending order, and Micronaut Flyway and
 * Micronaut Liquibase both migrate in one of the default order 0: a probe listener placed before them (order -1)
 * finds no table; one placed between them and seqguard ({@link SeqguardDataSourceListener#ORDER}) finds the
 * migration's rows and the sequence still lagging; one after seqguard finds it repaired. Together: the migration,
 * then seqguard, then the bean goes to the application.
 */
class ListenerOrderTest {

    /** The two migration tools, each loading the same table and rows. */
    enum Migrations {
        FLYWAY {
            @Override
            Map<String, Object> properties(TestDatabase database) {
                return TestApps.dataSource("default", database, "books");
            }
        },
        LIQUIBASE {
            @Override
            Map<String, Object> properties(TestDatabase database) {
                Map<String, Object> properties = TestApps.dataSource("default", database, "books");
                properties.put("flyway.datasources.default.enabled", false);
                properties.put("liquibase.datasources.default.change-log", "classpath:db/liquibase/books.sql");
                return properties;
            }
        };

        abstract Map<String, Object> properties(TestDatabase database);
    }

    private static ProbeListener probe(Migrations migrations, TestDatabase database, int order) {
        Map<String, Object> properties = migrations.properties(database);
        properties.put(ProbeListener.ORDER, order);
        try (ApplicationContext context = TestApps.start(properties)) {
            return context.getBean(ProbeListener.class);
        }
    }

    @ParameterizedTest
    @EnumSource
    void beforeTheMigrationThereIsNoTable(Migrations migrations) {
        try (TestDatabase database = TestDatabase.create("micronaut_order_before")) {
            ProbeListener probe = probe(migrations, database, -1);
            assertThat(probe.bookTableExisted).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource
    void betweenTheMigrationAndSeqguardTheRowsAreLoadedAndTheSequenceLags(Migrations migrations) {
        try (TestDatabase database = TestDatabase.create("micronaut_order_between")) {
            ProbeListener probe = probe(migrations, database, SeqguardDataSourceListener.ORDER - 1);
            assertThat(probe.bookTableExisted).isTrue();
            assertThat(probe.nextValue).isEqualTo(1L);
            assertThat(database.queryForLong("SELECT count(*) FROM information_schema.tables WHERE table_name = "
                    + (migrations == Migrations.FLYWAY ? "'flyway_schema_history'" : "'databasechangelog'")))
                    .as("%s made the table", migrations).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource
    void afterSeqguardTheSequenceIsRepaired(Migrations migrations) {
        try (TestDatabase database = TestDatabase.create("micronaut_order_after")) {
            ProbeListener probe = probe(migrations, database, SeqguardDataSourceListener.ORDER + 1);
            assertThat(probe.bookTableExisted).isTrue();
            assertThat(probe.nextValue).isEqualTo(4L);
        }
    }
}
