package io.seqguard.test;

import static io.seqguard.test.EmbeddedPostgresTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

class StandbyTest {

    @Test
    void standbyStreamsFromItsPrimaryAndCanBePromoted() throws Exception {
        try (EmbeddedPostgres primary = EmbeddedPostgres.builder().start();
                TestDatabase db = TestDatabase.create(primary, "replicated")) {
            db.execute("CREATE TABLE t (id bigserial PRIMARY KEY)", "INSERT INTO t DEFAULT VALUES");
            DataSource primaryAdmin = primary.dataSource("postgres");

            try (EmbeddedPostgres standby = primary.startStandby()) {
                DataSource replica = standby.dataSource(db.name());
                assertThat(standby.port()).isNotEqualTo(primary.port());
                assertThat(query(replica, "SELECT pg_is_in_recovery()")).isEqualTo("t");
                assertThat(query(primaryAdmin, "SELECT count(*) FROM pg_replication_slots")).isEqualTo("1");

                db.execute("INSERT INTO t DEFAULT VALUES");
                awaitValue(replica, "SELECT count(*) FROM t", "2");
                assertThatThrownBy(() -> query(replica, "SELECT nextval('t_id_seq')"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("read-only");

                assertThat(query(replica, "SELECT pg_promote()")).isEqualTo("t");
                assertThat(query(replica, "SELECT pg_is_in_recovery()")).isEqualTo("f");
                assertThat(query(replica, "SELECT nextval('t_id_seq')")).isNotNull();
            }

            assertThat(query(primaryAdmin, "SELECT count(*) FROM pg_replication_slots")).isEqualTo("0");
        }
    }

    private static void awaitValue(DataSource ds, String sql, String expected) {
        Await.until("`" + sql + "` to return " + expected, Duration.ofSeconds(10),
                () -> expected.equals(query(ds, sql)));
    }
}
