package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@PostgresTest
class PgBouncerTest {

    @BeforeEach
    void needsPgBouncer() {
        PgBouncer.assumeInstalled();
    }

    @Test
    void transactionPoolingLendsOneServerConnectionToClientsInTurn(TestDatabase db) throws SQLException {
        try (PgBouncer bouncer = PgBouncer.builder(db.server()).poolMode(PgBouncer.PoolMode.TRANSACTION)
                .setting("default_pool_size", "1").start();
                Connection first = bouncer.dataSource(db.name()).getConnection();
                Connection second = bouncer.dataSource(db.name()).getConnection()) {
            assertThat(bouncer.poolMode()).isEqualTo(PgBouncer.PoolMode.TRANSACTION);
            assertThat(bouncer.jdbcUrl(db.name())).isEqualTo("jdbc:postgresql://127.0.0.1:" + bouncer.port() + "/"
                    + db.name());
            // two clients at once, one server connection: each transaction borrows it in turn
            assertThat(pid(first)).isEqualTo(pid(second));
            // a session setting (one PgBouncer does not track) stays on the server connection, for the other client
            execute(first, "SET lock_timeout = '4321ms'");
            assertThat(query(second, "SHOW lock_timeout")).isEqualTo("4321ms");
            assertThat(query(first, "SELECT current_database()")).isEqualTo(db.name());
        }
    }

    @Test
    void sessionPoolingKeepsAServerConnectionPerClient(TestDatabase db) throws SQLException {
        try (PgBouncer bouncer = PgBouncer.builder(db.server()).poolMode(PgBouncer.PoolMode.SESSION).start();
                Connection first = bouncer.dataSource(db.name()).getConnection();
                Connection second = bouncer.dataSource(db.name()).getConnection()) {
            long pid = pid(first);
            assertThat(pid(second)).isNotEqualTo(pid);
            execute(first, "SET lock_timeout = '4321ms'");
            assertThat(pid(first)).isEqualTo(pid);
            assertThat(query(first, "SHOW lock_timeout")).isEqualTo("4321ms");
            assertThat(query(second, "SHOW lock_timeout")).isEqualTo("0");
        }
    }

    @Test
    void rolesMadeAfterTheStartLogInAndStopWithTheProxy(TestDatabase db) throws SQLException {
        DataSource app;
        try (PgBouncer bouncer = PgBouncer.builder(db.server()).start()) {
            String role = "app of " + db.name();
            db.createRole(role, null);
            app = bouncer.dataSource(db.name(), role, null);
            try (Connection c = app.getConnection()) {
                assertThat(query(c, "SELECT current_user")).isEqualTo(role);
            }
            assertThat(bouncer.logFile()).exists();
        }
        assertThatThrownBy(app::getConnection).isInstanceOf(SQLException.class);
    }

    @Test
    void settingsThatTheStartManagesAreRefused(TestDatabase db) {
        assertThatThrownBy(() -> PgBouncer.builder(db.server()).setting("pool_mode", "statement"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool_mode");
        assertThatThrownBy(() -> PgBouncer.builder(db.server()).setting("max_client_conn", "1\nauth_type = any"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long pid(Connection c) throws SQLException {
        return Long.parseLong(query(c, "SELECT pg_backend_pid()"));
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
