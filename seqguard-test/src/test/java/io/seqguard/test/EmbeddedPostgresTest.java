package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

    private static final PostgresBinaries.Request SELECTED =
            PostgresBinaries.Request.parse(PostgresBinaries.selectedVersion());

    @Test
    void sharedServerRunsTheSelectedVersion() throws SQLException {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();

        assertThat(query(pg.dataSource("postgres"), "SHOW server_version_num"))
                .satisfies(num -> assertThat(Integer.parseInt(num) / 10000).isEqualTo(SELECTED.major()));
        assertThat(pg.majorVersion()).isEqualTo(SELECTED.major());
        assertThat(pg.binariesVersion())
                .isEqualTo(Providers.installedSelected() ? "installed" : SELECTED.preferred(Platform.current()));
        assertThat(EmbeddedPostgres.shared()).isSameAs(pg);
    }

    @Test
    void sharedServerHasSettingsForTests() throws SQLException {
        DataSource ds = EmbeddedPostgres.shared().dataSource("postgres");

        assertThat(query(ds, "SHOW fsync")).isEqualTo("off");
        assertThat(query(ds, "SHOW synchronous_commit")).isEqualTo("off");
        assertThat(query(ds, "SHOW full_page_writes")).isEqualTo("off");
        assertThat(query(ds, "SHOW wal_level")).isEqualTo("logical");
        assertThat(query(ds, "SHOW max_replication_slots")).isEqualTo("10");
        assertThat(query(ds, "SHOW max_wal_senders")).isEqualTo("10");
        assertThat(query(ds, "SHOW max_connections")).isEqualTo("200");
        assertThat(query(ds, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(query(ds, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).isEqualTo("t");
    }

    @Test
    void closingTheSharedServerLeavesItRunning() throws SQLException {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();

        pg.close();

        assertThat(query(pg.dataSource("postgres"), "SELECT 1")).isEqualTo("1");
        assertThat(EmbeddedPostgres.shared()).isSameAs(pg);
    }

    @Test
    void secondServerStartsAndStopsIndependently() throws SQLException {
        EmbeddedPostgres shared = EmbeddedPostgres.shared();
        Path dataDirectory;
        DataSource ds;
        try (EmbeddedPostgres second = EmbeddedPostgres.builder().setting("max_connections", "50").start()) {
            dataDirectory = second.dataDirectory();
            ds = second.dataSource("postgres");

            assertThat(second.port()).isNotEqualTo(shared.port());
            assertThat(dataDirectory).isNotEqualTo(shared.dataDirectory());
            assertThat(query(ds, "SHOW max_connections")).isEqualTo("50");
            assertThat(query(ds, "SHOW data_directory")).isEqualTo(asServerSees(dataDirectory));
            assertThat(second.majorVersion()).isEqualTo(SELECTED.major());
        }

        assertThat(dataDirectory).doesNotExist();
        assertThatThrownBy(() -> query(ds, "SELECT 1")).isInstanceOf(SQLException.class);
        assertThat(query(shared.dataSource("postgres"), "SELECT 1")).isEqualTo("1");
    }

    @Test
    void commandsRunAsTheServersOsUser() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();

        String user = pg.runAsServerUser(List.of("id", "-un")).trim();
        String status = pg.runAsServerUser(
                List.of(pg.binDirectory().resolve("pg_ctl").toString(), "status", "-D", pg.dataDirectory().toString()));

        assertThat(user).isEqualTo(pg.serverUser());
        if (ServerUser.isRoot()) {
            assertThat(user).isEqualTo("nobody");
        } else {
            assertThat(user).isEqualTo(System.getProperty("user.name"));
        }
        assertThat(Files.getOwner(pg.dataDirectory()).getName()).isEqualTo(user);
        assertThat(status).contains("server is running");
        assertThatThrownBy(() -> pg.runAsServerUser(List.of("false")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exit code 1");
    }

    @Test
    void failedStartReportsTheServerLog() {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setting("shared_buffers", "plenty");

        assertThatThrownBy(builder::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("shared_buffers");
    }

    @Test
    void builderRejectsSettingsItManages() {
        assertThatThrownBy(() -> EmbeddedPostgres.builder().setting("port", "5432"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> EmbeddedPostgres.builder().version("eleven"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pg.version");
    }

    @Test
    void writesNothingToStandardStreamsExceptThroughSlf4j() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                TestDatabase db = TestDatabase.create(pg, "capture")) {
            db.execute("CREATE TABLE t (id int)");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        // slf4j-simple (test scope only) writes "[LEVEL] logger - message" to System.err.
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty()
                .allMatch(line -> line.matches("\\[(TRACE|DEBUG|INFO|WARN|ERROR)] io\\.seqguard\\.test\\.\\w+ - .*"));
    }

    /** Inside a root (seqguard.test.chroot) the server sees the path below the root. */
    private static String asServerSees(Path hostPath) {
        String chroot = System.getProperty(EmbeddedPostgres.CHROOT, "");
        return chroot.isBlank() ? hostPath.toString() : "/" + Paths.get(chroot).toAbsolutePath().relativize(hostPath);
    }

    static String query(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
