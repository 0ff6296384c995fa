package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class TestDatabaseTest {

    @Test
    void namesAreSafeAndUnique() {
        assertThat(TestDatabase.uniqueName("My Class-Name!")).matches("my_class_name_[0-9a-f]+");
        assertThat(TestDatabase.uniqueName("SequenceRepairIT")).matches("sequence_repair_it_[0-9a-f]+");
        assertThat(TestDatabase.uniqueName("42things")).startsWith("t_42things_");
        assertThat(TestDatabase.uniqueName(null)).matches("t__[0-9a-f]+");
        assertThat(TestDatabase.uniqueName("x".repeat(200)).length()).isLessThanOrEqualTo(63);
        assertThat(TestDatabase.uniqueName("same")).isNotEqualTo(TestDatabase.uniqueName("same"));
    }

    @Test
    void createsAndDropsADatabase() {
        TestDatabase db = TestDatabase.create("Create Drop");
        try (TestDatabase observer = TestDatabase.create("observer")) {
            assertThat(db.name()).startsWith("create_drop_");
            assertThat(db.queryForString("SELECT current_database()")).isEqualTo(db.name());
            assertThat(db.jdbcUrl()).endsWith("/" + db.name());

            db.close();
            db.close();

            assertThat(observer.queryForLong("SELECT count(*) FROM pg_database WHERE datname = '" + db.name() + "'"))
                    .isZero();
        }
    }

    @Test
    void dropsADatabaseThatStillHasSessions() throws SQLException {
        TestDatabase db = TestDatabase.create("busy");
        try (var open = db.dataSource().getConnection()) {
            db.close();

            assertThat(open.isValid(2)).isFalse();
        }
    }

    @Test
    void failuresNameTheStatement() {
        try (TestDatabase db = TestDatabase.create("failures")) {
            assertThatThrownBy(() -> db.execute("CREATE TABLE t (id int)", "INSERT INTO t VALUES ('x')"))
                    .isInstanceOf(UncheckedSqlException.class)
                    .hasMessageContaining("INSERT INTO t VALUES ('x')")
                    .satisfies(e -> assertThat(((UncheckedSqlException) e).sqlState()).isEqualTo("22P02"));
            assertThatThrownBy(() -> db.queryForLong("SELECT NULL::int"))
                    .isInstanceOf(UncheckedSqlException.class)
                    .hasMessageContaining("NULL");
            assertThatThrownBy(() -> db.queryForString("SELECT 1 WHERE false"))
                    .hasMessageContaining("no row");
            assertThat(db.queryForLong("SELECT count(*) FROM t")).isZero();
        }
    }

    @Test
    void createsLoginRolesAndDropsThem() throws SQLException {
        TestDatabase db = TestDatabase.create("roles");
        String role = db.name() + " App";
        try (TestDatabase observer = TestDatabase.create("observer")) {
            db.createRole(role, "it's secret");

            assertThat(EmbeddedPostgresTest.query(db.dataSource(role, "it's secret"), "SELECT current_user"))
                    .isEqualTo(role);
            assertThatThrownBy(() -> db.createRole(role, "again"))
                    .isInstanceOf(UncheckedSqlException.class)
                    .hasMessageNotContaining("again");

            db.close();

            assertThat(observer.queryForLong("SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'")).isZero();
        } finally {
            db.close();
        }
    }
}
