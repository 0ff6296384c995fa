package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@PostgresTest
class PostgresExtensionTest {

    private static TestDatabase fromBeforeAll;

    private final TestDatabase fromConstructor;
    private TestDatabase fromBeforeEach;

    PostgresExtensionTest(TestDatabase database) {
        this.fromConstructor = database;
    }

    @BeforeAll
    static void createSchema(TestDatabase database) {
        fromBeforeAll = database;
        database.execute("CREATE TABLE item (id bigserial PRIMARY KEY, label text)");
    }

    @BeforeEach
    void remember(TestDatabase database, DataSource dataSource) throws SQLException {
        fromBeforeEach = database;
        assertThat(EmbeddedPostgresTest.query(dataSource, "SELECT current_database()")).isEqualTo(database.name());
    }

    @Test
    void injectsOneWorkingDatabaseEverywhere(TestDatabase database) {
        assertThat(database).isSameAs(fromBeforeAll).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
        assertThat(database.name()).startsWith("postgres_extension_test_");
        assertThat(database.majorVersion()).isEqualTo(PostgresServer.shared().majorVersion());

        database.execute("INSERT INTO item (label) VALUES ('a'), ('b')");

        assertThat(database.queryForLong("SELECT count(*) FROM item")).isEqualTo(2);
        assertThat(database.queryForString("SELECT current_database()")).isEqualTo(database.name());
    }

    @Test
    void injectsASuperuserDataSource(DataSource dataSource) throws SQLException {
        assertThat(EmbeddedPostgresTest.query(dataSource, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
                .isEqualTo("t");
        assertThat(EmbeddedPostgresTest.query(dataSource, "SELECT to_regclass('item') IS NOT NULL")).isEqualTo("t");
    }

    @Nested
    class Inner {

        @Test
        void sharesTheOuterClassDatabase(TestDatabase database) {
            assertThat(database).isSameAs(fromBeforeAll);
        }
    }
}
