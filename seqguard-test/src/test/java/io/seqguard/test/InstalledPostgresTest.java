package io.seqguard.test;

import static io.seqguard.test.EmbeddedPostgresTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code installed} provider: an installed bin directory, on this system or inside a root (chroot). Without
 * {@code -Dseqguard.test.postgres=installed} the embedded binaries, once extracted, stand in for an installed
 * PostgreSQL; with it (CI's PostgreSQL 19 run) the configured one is used.
 */
class InstalledPostgresTest {

    private static final String PROVIDER = Providers.PROVIDER;
    private static final String BIN_DIR = EmbeddedPostgres.BIN_DIR;
    private static final String CHROOT = EmbeddedPostgres.CHROOT;

    @Test
    void runsAnInstalledBinDirectoryWithWhatTestsNeed() throws Exception {
        EmbeddedPostgres shared = EmbeddedPostgres.shared();
        try (SystemProperties properties = installedLike(shared, String.valueOf(shared.majorVersion()));
                EmbeddedPostgres installed = EmbeddedPostgres.builder().start();
                TestDatabase db = TestDatabase.create(installed, "installed")) {
            DataSource admin = installed.dataSource("postgres");
            assertThat(installed.binariesVersion()).isEqualTo("installed");
            assertThat(installed.majorVersion()).isEqualTo(shared.majorVersion());
            assertThat(installed.port()).isNotEqualTo(shared.port());
            assertThat(query(admin, "SHOW wal_level")).isEqualTo("logical");
            assertThat(query(admin, "SHOW max_locks_per_transaction")).isEqualTo("64");

            String role = db.name() + "_app";
            db.createRole(role, "secret");
            db.execute("CREATE TABLE \"Order Lines; DROP TABLE x\" (id bigserial PRIMARY KEY)");
            assertThat(query(db.dataSource(role, "secret"), "SELECT current_user")).isEqualTo(role);

            try (EmbeddedPostgres standby = installed.startStandby()) {
                assertThat(standby.binariesVersion()).isEqualTo("installed");
                assertThat(query(standby.dataSource(db.name()), "SELECT pg_is_in_recovery()")).isEqualTo("t");
            }
        }
    }

    @Test
    void refusesAnInstalledServerOfAnotherMajorThanPgVersion() {
        EmbeddedPostgres shared = EmbeddedPostgres.shared();
        int other = shared.majorVersion() == 12 ? 13 : 12;
        try (SystemProperties properties = installedLike(shared, String.valueOf(other))) {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();

            assertThatThrownBy(builder::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(BIN_DIR)
                    .hasMessageContaining("runs PostgreSQL " + shared.majorVersion())
                    .hasMessageContaining("pg.version asks for " + other)
                    .hasMessageContaining("-Dpg.version=" + shared.majorVersion());
        }
    }

    @Test
    void namesThePropertyThatIsMissing() {
        try (SystemProperties properties = SystemProperties.set(PROVIDER, "installed", BIN_DIR, null)) {
            assertThatThrownBy(EmbeddedPostgres::builder)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("System property seqguard.test.bin-dir is required when "
                            + "seqguard.test.postgres=installed")
                    .hasMessageContaining("/usr/lib/postgresql/19/bin");
        }
    }

    @Test
    void namesTheBinDirectoryWithoutPostgres(@TempDir Path empty) {
        try (SystemProperties properties = SystemProperties.set(PROVIDER, "installed", BIN_DIR, empty.toString(),
                CHROOT, null, "pg.version", null)) {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();

            assertThatThrownBy(builder::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No executable initdb in " + empty)
                    .hasMessageContaining("(seqguard.test.bin-dir " + empty + ")");
        }
    }

    @Test
    void aRootNeedsARootJvmAndAWorkDirectoryInsideIt(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        String user = ServerUser.isRoot() ? ServerUser.current().name() : "nobody";
        Files.writeString(root.resolve("etc/passwd"), user + ":x:65534:65534::/nonexistent:/usr/sbin/nologin\n");
        try (SystemProperties properties = SystemProperties.set(PROVIDER, "installed",
                BIN_DIR, "/usr/lib/postgresql/19/bin", CHROOT, root.toString(), "pg.version", null,
                "seqguard.test.work-dir", "/tmp")) {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (!ServerUser.isRoot()) {
                assertThatThrownBy(builder::start)
                        .hasMessageContaining("seqguard.test.chroot " + root + " needs a JVM running as root");
                return;
            }

            assertThatThrownBy(builder::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("seqguard.test.work-dir /tmp is outside seqguard.test.chroot " + root);

            System.clearProperty("seqguard.test.work-dir");
            assertThatThrownBy(EmbeddedPostgres.builder()::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No executable initdb in " + root.resolve("usr/lib/postgresql/19/bin"))
                    .hasMessageContaining("(seqguard.test.bin-dir /usr/lib/postgresql/19/bin, inside "
                            + "seqguard.test.chroot " + root + ")");
        }
    }

    @Test
    void commandsInsideARootRunThroughChrootAsTheUserOfTheRootsPasswd(@TempDir Path root) throws IOException {
        assumeThat(ServerUser.isRoot()).as("chroot needs a root JVM").isTrue();
        String name = ServerUser.current().name();
        Files.createDirectories(root.resolve("etc"));
        // other ids than the host's: the root's own passwd decides
        Files.writeString(root.resolve("etc/passwd"), name + ":x:4242:4343::/nonexistent:/usr/sbin/nologin\n");
        List<String> postgres = List.of("/usr/lib/postgresql/19/bin/postgres");

        ServerUser user = ServerUser.current().inRoot(root);
        List<String> withoutSetpriv = user.wrap(postgres, true);
        assertThat(withoutSetpriv.get(0)).endsWith("/chroot");
        assertThat(withoutSetpriv.subList(1, withoutSetpriv.size())).containsExactly("--userspec=4242:4343",
                "--groups=4343", root.toString(), "/usr/lib/postgresql/19/bin/postgres");

        Path setpriv = Files.createDirectories(root.resolve("usr/bin")).resolve("setpriv");
        Files.createFile(setpriv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<String> withSetpriv = ServerUser.current().inRoot(root).wrap(postgres, true);
        assertThat(withSetpriv.subList(1, withSetpriv.size())).containsExactly(root.toString(), "/usr/bin/setpriv",
                "--reuid=4242", "--regid=4343", "--clear-groups", "--pdeathsig", "INT", "--",
                "/usr/lib/postgresql/19/bin/postgres");

        assertThat(user.path(root.resolve("tmp/seqguard-pg-1/data"))).isEqualTo("/tmp/seqguard-pg-1/data");
        assertThat(user.hostPath("/usr/lib/postgresql/19/bin")).isEqualTo(root.resolve("usr/lib/postgresql/19/bin"));
        assertThatThrownBy(() -> user.path(root.resolveSibling("elsewhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is outside seqguard.test.chroot " + root);
    }

    /**
     * The properties of the installed provider for the bin directory {@code shared} runs, inside the same root
     * when there is one.
     */
    private static SystemProperties installedLike(EmbeddedPostgres shared, String pgVersion) {
        String chroot = System.getProperty(CHROOT, "");
        String bin = chroot.isBlank() ? shared.binDirectory().toString()
                : "/" + Path.of(chroot).toAbsolutePath().relativize(shared.binDirectory());
        return SystemProperties.set(PROVIDER, "installed", BIN_DIR, bin, CHROOT, chroot.isBlank() ? null : chroot,
                "pg.version", pgVersion);
    }
}
