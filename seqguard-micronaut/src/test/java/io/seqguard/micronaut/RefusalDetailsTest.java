package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.seqguard.StartupGuardException;
import io.seqguard.test.Await;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The refusal a Micronaut application stops with keeps what the guard found: that the server is a standby, which
 * subscriptions still feed the database. The message names the properties in the application's words.
 */
class RefusalDetailsTest {

    @Test
    void aSubscriptionThatStillFeedsTheDatabaseIsNamed() {
        try (TestDatabase books = TestDatabase.create("micronaut_subscription")) {
            books.execute("CREATE SUBSCRIPTION \"from_old \"\"primary\"\"\" CONNECTION 'host=127.0.0.1 port=1 "
                    + "dbname=none' PUBLICATION p WITH (connect = false, slot_name = 'from_old')",
                    "ALTER SUBSCRIPTION \"from_old \"\"primary\"\"\" ENABLE");
            try {
                SeqguardStartupException refusal = TestApps.refusal(catchThrowable(() -> TestApps.start(
                        TestApps.dataSource("default", books, "books")).close()));
                StartupGuardException guard = refusal.getGuardException();
                assertThat(guard.reason()).isEqualTo(StartupGuardException.Reason.SUBSCRIPTION);
                assertThat(guard.enabledSubscriptions()).containsExactly("from_old \"primary\"");
                assertThat(guard.standby()).isFalse();
                assertThat(refusal.getMessage()).startsWith("Micronaut data source 'default': ")
                        .contains("seqguard.on-enabled-subscription");
                assertThat(TestApps.nextValue(books, "book_id_seq")).as("nothing repaired").isEqualTo(1);
            } finally {
                books.execute("ALTER SUBSCRIPTION \"from_old \"\"primary\"\"\" DISABLE",
                        "ALTER SUBSCRIPTION \"from_old \"\"primary\"\"\" SET (slot_name = NONE)",
                        "DROP SUBSCRIPTION \"from_old \"\"primary\"\"\"");
            }
        }
    }

    @Test
    void aStandbyIsNamedAsOne() {
        try (EmbeddedPostgres primary = EmbeddedPostgres.builder().start();
                TestDatabase books = TestDatabase.create(primary, "micronaut_standby")) {
            books.execute("CREATE TABLE book (id bigserial PRIMARY KEY, title text NOT NULL)",
                    "INSERT INTO book (id, title) VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            try (EmbeddedPostgres standby = primary.startStandby()) {
                Await.until("the standby to replay table book", Duration.ofSeconds(30), () -> {
                    try (Connection connection = standby.dataSource(books.name()).getConnection();
                            ResultSet rs = connection.createStatement().executeQuery("SELECT count(*) FROM book")) {
                        rs.next();
                        return rs.getLong(1) == 3;
                    }
                });
                Map<String, Object> properties = TestApps.dataSource("default", books, "books");
                properties.put("datasources.default.url", standby.jdbcUrl(books.name()));
                properties.put("flyway.datasources.default.enabled", false);
                SeqguardStartupException refusal = TestApps.refusal(catchThrowable(
                        () -> TestApps.start(properties).close()));
                StartupGuardException guard = refusal.getGuardException();
                assertThat(guard.reason()).isEqualTo(StartupGuardException.Reason.STANDBY);
                assertThat(guard.standby()).isTrue();
                assertThat(guard.report().withStatus(io.seqguard.SequenceStatus.BEHIND)).hasSize(1);
                assertThat(refusal.getMessage()).contains("standby");
            }
        }
    }
}
