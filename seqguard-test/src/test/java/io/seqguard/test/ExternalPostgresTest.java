package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The external provider, pointed at the embedded server. */
class ExternalPostgresTest {

    @Test
    void replacesTheDatabaseAndKeepsParameters() {
        EmbeddedPostgres embedded = EmbeddedPostgres.shared();
        String url = "jdbc:postgresql://127.0.0.1:" + embedded.port() + "/postgres?connectTimeout=5";

        ExternalPostgres external = new ExternalPostgres(url, "postgres", "");

        assertThat(external.jdbcUrl("other")).isEqualTo(
                "jdbc:postgresql://127.0.0.1:" + embedded.port() + "/other?connectTimeout=5");
        assertThat(external.defaultDatabase()).isEqualTo("postgres");
        assertThat(external.majorVersion()).isEqualTo(embedded.majorVersion());
        try (TestDatabase db = TestDatabase.create(external, "external")) {
            assertThat(db.queryForString("SELECT current_database()")).isEqualTo(db.name());
        }
    }

    @Test
    void acceptsAUrlWithoutDatabase() {
        ExternalPostgres external =
                new ExternalPostgres("jdbc:postgresql://127.0.0.1:" + EmbeddedPostgres.shared().port(), "postgres", "");

        assertThat(external.defaultDatabase()).isEqualTo("postgres");
    }

    @Test
    void explainsBadUrls() {
        assertThatThrownBy(() -> new ExternalPostgres("jdbc:mysql://localhost/x", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seqguard.test.jdbc-url");
    }

    @Test
    void testcontainersImageTagFollowsTheVersion() {
        assertThat(Providers.Testcontainers.imageTag("16")).isEqualTo("16");
        assertThat(Providers.Testcontainers.imageTag("16.9.0")).isEqualTo("16.9");
    }
}
