package io.seqguard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries that {@code io.zonky.test.postgres} publishes on Maven Central, or
 * from an installed PostgreSQL ({@link Builder#binDirectory}, optionally inside a root directory:
 * {@link Builder#chroot}), in a fresh data directory, listening on 127.0.0.1 only, with settings for tests (no
 * fsync, logical WAL).
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.builder().version("16").setting("max_connections", "50").start()) {
 *     DataSource ds = pg.dataSource("postgres");
 * }
 * }</pre>
 *
 * <p>Most tests want {@link #shared()} (or {@link PostgresTest}), one server per JVM. The superuser is
 * {@code postgres} and every connection over TCP is trusted. When the JVM runs as root, initdb, postgres and
 * pg_ctl run as the unprivileged user {@code nobody} (property {@code seqguard.test.os-user}), because PostgreSQL
 * refuses to run as root. Files go under {@code java.io.tmpdir} (property {@code seqguard.test.work-dir}):
 * extracted binaries in {@code seqguard-postgres-<user>/<platform>-<version>}, each server in
 * {@code seqguard-pg-<pid>-*}, which {@link #close()} deletes.
 *
 * <p>With {@code -Dseqguard.test.postgres=installed}, {@link #shared()} and every {@link #builder()} run the
 * installed PostgreSQL named by {@code seqguard.test.bin-dir} (inside {@code seqguard.test.chroot} when set), so
 * that second servers and standbys are of the same version as the shared one.
 *
 * <p>Every server stops when the JVM exits (a shutdown hook), and where {@code setpriv} exists also when the JVM
 * is killed (the server gets SIGINT when its parent dies).
 */
public final class EmbeddedPostgres implements PostgresServer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private static final String SUPERUSER = "postgres";
    private static final String INSTANCE_PREFIX = "seqguard-pg-";
    private static final Pattern INSTANCE_NAME = Pattern.compile(Pattern.quote(INSTANCE_PREFIX) + "(\\d+)-.*");
    /** sockaddr_un.sun_path is 108 bytes on Linux and 104 on macOS, including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = System.getProperty("os.name", "").startsWith("Mac") ? 103 : 107;
    /** The property that names an installed PostgreSQL's bin directory (provider {@code installed}). */
    static final String BIN_DIR = "seqguard.test.bin-dir";
    /** The property that names a root directory the installed PostgreSQL runs inside. */
    static final String CHROOT = "seqguard.test.chroot";
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private static final Set<EmbeddedPostgres> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_REGISTERED = new AtomicBoolean();
    private static final Set<Path> STALE_CLEANED = ConcurrentHashMap.newKeySet();
    private static final Object SHARED_LOCK = new Object();
    private static EmbeddedPostgres shared;

    private final String binariesVersion;
    private final Path binDirectory;
    private final Path instanceDirectory;
    private final Path dataDirectory;
    private final Path logFile;
    private final ServerUser user;
    private final boolean sharedInstance;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Written while starting, read by test threads and the shutdown hook.
    private volatile Process process;
    private volatile int port;
    private volatile int majorVersion;
    /** For a standby: the server it streams from, and the slot it holds there. */
    private volatile EmbeddedPostgres primary;
    private volatile String slot;

    private EmbeddedPostgres(String binariesVersion, Path binDirectory, Path instanceDirectory, ServerUser user,
            boolean sharedInstance) {
        this.binariesVersion = binariesVersion;
        this.binDirectory = binDirectory;
        this.instanceDirectory = instanceDirectory;
        this.dataDirectory = instanceDirectory.resolve("data");
        this.logFile = instanceDirectory.resolve("postgres.log");
        this.user = user;
        this.sharedInstance = sharedInstance;
    }

    /**
     * A builder for a new, independent server; by default of the version in system property {@code pg.version}, or
     * the installed PostgreSQL of {@code seqguard.test.bin-dir} when {@code seqguard.test.postgres=installed}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The one embedded server of this JVM, of the version in system property {@code pg.version} (default 18), or
     * the installed PostgreSQL of {@code seqguard.test.bin-dir} when {@code seqguard.test.postgres=installed},
     * started on first call and stopped when the JVM exits. Its {@link #close()} does nothing, so that one test
     * cannot stop it under the others.
     *
     * @return the running shared server
     */
    public static EmbeddedPostgres shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null || shared.closed.get()) {
                shared = new Builder().startServer(true);
            }
            return shared;
        }
    }

    /** Builds and starts an {@link EmbeddedPostgres}. Not thread-safe; one builder per server. */
    public static final class Builder {

        private String version = PostgresBinaries.selectedVersion();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Path binDirectory;
        private Path root;
        /** Where the installed binaries came from, for messages: a property or this builder's method. */
        private String binSource;
        /** With the installed provider: the major that pg.version asks for, checked against the server. */
        private Integer expectedMajor;

        private Builder() {
            settings.put("fsync", "off");
            settings.put("synchronous_commit", "off");
            settings.put("full_page_writes", "off");
            settings.put("wal_level", "logical");
            settings.put("max_wal_senders", "10");
            settings.put("max_replication_slots", "10");
            settings.put("max_connections", "200");
            settings.put("max_worker_processes", "16");
            settings.put("max_logical_replication_workers", "8");
            // Deterministic start-up: trying huge pages depends on the host's configuration.
            settings.put("huge_pages", "off");
            // PostgreSQL's default through 18; 19 raised it to 128. Pinned so that a test of lock table limits
            // means the same on every major.
            settings.put("max_locks_per_transaction", "64");
            if (Providers.installedSelected()) {
                useInstalledFromProperties();
            }
        }

        private void useInstalledFromProperties() {
            String bin = System.getProperty(BIN_DIR, "").trim();
            if (bin.isEmpty()) {
                throw new IllegalArgumentException("System property " + BIN_DIR + " is required when "
                        + Providers.PROVIDER + "=installed: the directory with initdb, postgres and pg_ctl, for "
                        + "example /usr/lib/postgresql/19/bin (inside " + CHROOT + " when that is set)");
            }
            String chroot = System.getProperty(CHROOT, "").trim();
            binDirectory = Paths.get(bin);
            root = chroot.isEmpty() ? null : Paths.get(chroot);
            binSource = BIN_DIR;
            String requested = System.getProperty("pg.version", "").trim();
            expectedMajor = requested.isEmpty() ? null : PostgresBinaries.Request.parse(requested).major();
        }

        /**
         * The PostgreSQL version: a major ({@code "12"} .. {@code "18"}) or an exact binaries version
         * ({@code "16.9.0"}) whose jar is on the classpath or in the local Maven repository.
         *
         * @param version the version
         * @return this builder
         */
        public Builder version(String version) {
            PostgresBinaries.Request.parse(version);
            this.version = version;
            this.binDirectory = null;
            this.root = null;
            this.expectedMajor = null;
            return this;
        }

        /**
         * A server setting written to {@code postgresql.conf}, overriding the defaults for tests (fsync=off,
         * synchronous_commit=off, full_page_writes=off, wal_level=logical, max_wal_senders=10,
         * max_replication_slots=10, max_connections=200, max_worker_processes=16,
         * max_logical_replication_workers=8, huge_pages=off, max_locks_per_transaction=64 as before 19).
         * {@code port}, {@code listen_addresses} and {@code unix_socket_directories} are chosen by the server's
         * start and cannot be set here.
         *
         * @param name the setting name, for example {@code max_locks_per_transaction}
         * @param value its value, unquoted
         * @return this builder
         */
        public Builder setting(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new IllegalArgumentException("Not a PostgreSQL setting name: " + name);
            }
            if (Set.of("port", "listen_addresses", "unix_socket_directories").contains(name)) {
                throw new IllegalArgumentException("Setting " + name + " is managed by EmbeddedPostgres");
            }
            settings.put(name, value);
            return this;
        }

        /**
         * How long {@link #start()} waits for the server to accept connections (default 60 seconds).
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive: " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Runs an installed PostgreSQL instead of the Maven Central binaries, for example Debian's
         * {@code /usr/lib/postgresql/15/bin} (with extensions such as pglogical). {@link #version} is then ignored.
         *
         * @param binDirectory a directory with {@code initdb}, {@code postgres} and {@code pg_ctl}; with
         *     {@link #chroot} a path inside that root
         * @return this builder
         */
        public Builder binDirectory(Path binDirectory) {
            this.binDirectory = Objects.requireNonNull(binDirectory, "binDirectory");
            this.binSource = "binDirectory";
            this.expectedMajor = null;
            return this;
        }

        /**
         * Runs the installed PostgreSQL of {@link #binDirectory} inside a root directory through {@code chroot},
         * for a PostgreSQL built for a newer system than this one (a Debian sid root made by {@code debootstrap},
         * say). The JVM must run as root; the server runs as {@code seqguard.test.os-user} of the root's
         * {@code /etc/passwd}, and its files go under the root's {@code /tmp} unless {@code seqguard.test.work-dir}
         * names another directory inside the root. Nothing is mounted: PostgreSQL needs no {@code /proc}.
         *
         * @param root the root directory, or {@code null} to run on this system
         * @return this builder
         */
        public Builder chroot(Path root) {
            this.root = root;
            return this;
        }

        /**
         * Creates a data directory with initdb and starts the server; returns once it accepts connections.
         *
         * @return the running server; close it to stop it and delete its files
         * @throws IllegalStateException if the server does not start; the message ends with its log
         */
        public EmbeddedPostgres start() {
            return startServer(false);
        }

        private EmbeddedPostgres startServer(boolean sharedInstance) {
            long started = System.nanoTime();
            if (root != null && binDirectory == null) {
                throw new IllegalStateException("A chroot needs an installed PostgreSQL: set binDirectory (property "
                        + BIN_DIR + ") to its bin directory inside " + root);
            }
            ServerUser user = root == null ? ServerUser.current() : ServerUser.current().inRoot(root);
            Path workDirectory = workDirectory(user);
            cleanStaleInstances(workDirectory, user);
            String binariesVersion;
            Path bin;
            if (binDirectory != null) {
                bin = user.hostPath(binDirectory.toString());
                binariesVersion = "installed";
            } else {
                PostgresBinaries.Installation installation =
                        PostgresBinaries.install(PostgresBinaries.Request.parse(version), workDirectory);
                bin = installation.bin();
                binariesVersion = installation.version();
            }
            for (String tool : List.of("initdb", "postgres", "pg_ctl")) {
                if (!Files.isExecutable(bin.resolve(tool))) {
                    throw new IllegalStateException("No executable " + tool + " in " + bin
                            + (binDirectory == null ? "" : " (" + binSource + " " + binDirectory
                            + (root == null ? "" : ", inside " + CHROOT + " " + root) + ")"));
                }
            }
            if (user.switching()) {
                requireReachable(bin, user);
                requireReachable(workDirectory, user);
            }
            EmbeddedPostgres server = new EmbeddedPostgres(binariesVersion, bin, newInstanceDirectory(workDirectory),
                    user, sharedInstance);
            try {
                server.initialize(settings);
                server.launch(startupTimeout);
                if (expectedMajor != null && server.majorVersion != expectedMajor) {
                    throw new IllegalStateException(BIN_DIR + " " + binDirectory + " runs PostgreSQL "
                            + server.majorVersion + ", but pg.version asks for " + expectedMajor + ": set -Dpg.version="
                            + server.majorVersion + " or leave pg.version unset");
                }
            } catch (RuntimeException e) {
                server.stop();
                throw e;
            }
            LOG.info("Started PostgreSQL {} ({}) on 127.0.0.1:{} as OS user {} in {} ms, data in {}",
                    server.majorVersion, binariesVersion, server.port, user.name(),
                    (System.nanoTime() - started) / 1_000_000, server.dataDirectory);
            return server;
        }
    }

    /**
     * A new directory for one process (a server, a proxy), named after this JVM so that a later JVM deletes it
     * should this one be killed.
     */
    static Path newInstanceDirectory(Path workDirectory) {
        try {
            String prefix = INSTANCE_PREFIX + ProcessHandle.current().pid() + "-";
            return Files.createTempDirectory(workDirectory, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a server directory in " + workDirectory, e);
        }
    }

    private void initialize(Map<String, String> settings) {
        try {
            Files.createDirectories(dataDirectory);
            Files.createDirectories(socketDirectory());
            user.own(instanceDirectory);
            user.own(dataDirectory);
            user.own(socketDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + instanceDirectory, e);
        }
        long started = System.nanoTime();
        user.runChecked(List.of(user.path(binDirectory.resolve("initdb")), "-D", user.path(dataDirectory),
                "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"),
                instanceDirectory, COMMAND_TIMEOUT);
        LOG.debug("initdb {} took {} ms", dataDirectory, (System.nanoTime() - started) / 1_000_000);
        StringBuilder conf = new StringBuilder("\n# seqguard-test\n");
        settings.forEach((name, value) -> conf.append(name).append(" = '")
                .append(value.replace("\\", "\\\\").replace("'", "''")).append("'\n"));
        try {
            // Settings live in postgresql.conf, not on the command line, so ALTER SYSTEM can still override them
            // and a copy of the data directory (a standby) starts with the same configuration.
            Files.writeString(dataDirectory.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write settings to " + dataDirectory, e);
        }
    }

    /**
     * Starts a hot standby of this server: a new server whose data directory is an online base backup of this
     * one, streaming this server's WAL through a physical replication slot. The standby accepts read-only
     * connections ({@code pg_is_in_recovery()} is true) and can be promoted with {@code SELECT pg_promote()}.
     * Closing it stops it, deletes its files and drops its slot on this server. Tablespaces are not supported.
     *
     * <p>The backup copies every database of this server, so a small dedicated primary
     * ({@link #builder()}) keeps this fast; the shared server works too.
     *
     * @return the running standby, ready for connections
     * @throws IllegalStateException if the standby does not start; the message ends with its log
     */
    public EmbeddedPostgres startStandby() {
        if (closed.get()) {
            throw new IllegalStateException("Server on port " + port + " is closed");
        }
        long started = System.nanoTime();
        String slot = "seqguard_standby_" + Long.toHexString(System.nanoTime());
        EmbeddedPostgres standby = new EmbeddedPostgres(binariesVersion, binDirectory,
                newInstanceDirectory(instanceDirectory.getParent()), user, false);
        standby.primary = this;
        standby.slot = slot;
        try {
            standby.copyBaseBackupOf(this, slot);
            standby.launch(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            standby.stop();
            throw e;
        }
        LOG.info("Started standby of port {} on 127.0.0.1:{} in {} ms, data in {}", port, standby.port,
                (System.nanoTime() - started) / 1_000_000, standby.dataDirectory);
        return standby;
    }

    /** Directories whose contents a base backup leaves out (as pg_basebackup does); they are created empty. */
    private static final Set<String> EMPTY_IN_BACKUP = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp",
            "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");
    private static final Set<String> NOT_IN_BACKUP = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "standby.signal", "recovery.signal");

    private void copyBaseBackupOf(EmbeddedPostgres source, String slot) {
        boolean v15 = source.majorVersion >= 15;
        String sql = "SELECT pg_create_physical_replication_slot('" + slot + "', true)";
        try (Connection connection = source.dataSource(SUPERUSER).getConnection();
                Statement statement = connection.createStatement()) {
            // The slot, made before the backup starts, keeps the primary's WAL until the standby has streamed it.
            statement.execute(sql);
            sql = v15 ? "SELECT pg_backup_start('seqguard standby', true)"
                    : "SELECT pg_start_backup('seqguard standby', true, false)";
            statement.execute(sql);
            copyDataDirectory(source.dataDirectory, dataDirectory);
            sql = v15 ? "SELECT labelfile, spcmapfile FROM pg_backup_stop(false)"
                    : "SELECT labelfile, spcmapfile FROM pg_stop_backup(false, false)";
            try (ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                writeOwned(dataDirectory.resolve("backup_label"), rs.getString(1));
            }
            Files.createDirectories(socketDirectory());
            user.own(instanceDirectory);
            user.own(socketDirectory());
            writeOwned(dataDirectory.resolve("standby.signal"), "");
            Files.writeString(dataDirectory.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port="
                    + source.port + " user=" + SUPERUSER + " application_name=" + slot + "'\nprimary_slot_name = '"
                    + slot + "'\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (SQLException e) {
            throw new UncheckedSqlException(sql, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + source.dataDirectory + " to " + dataDirectory, e);
        }
    }

    private void writeOwned(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        user.own(file);
    }

    /** Copies a running server's files; some vanish or change meanwhile, which WAL replay makes good. */
    private void copyDataDirectory(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(dir).toString());
                Files.copy(dir, target, StandardCopyOption.COPY_ATTRIBUTES);
                user.own(target);
                if (EMPTY_IN_BACKUP.contains(from.relativize(dir).toString())) {
                    if (dir.getFileName().toString().equals("pg_wal")) {
                        Path archiveStatus = Files.createDirectory(target.resolve("archive_status"));
                        user.own(archiveStatus);
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (from.relativize(file).getNameCount() == 1
                        && NOT_IN_BACKUP.contains(file.getFileName().toString())) {
                    return FileVisitResult.CONTINUE;
                }
                Path target = to.resolve(from.relativize(file).toString());
                try {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    user.own(target);
                } catch (NoSuchFileException e) {
                    LOG.trace("{} vanished during the backup", file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }
        });
    }

    private Path socketDirectory() {
        return instanceDirectory.resolve("run");
    }

    private void launch(Duration startupTimeout) {
        registerShutdownHook();
        RUNNING.add(this);
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            process = startProcess();
            long started = System.nanoTime();
            Outcome outcome = awaitReady(deadline);
            if (outcome == Outcome.READY) {
                LOG.debug("PostgreSQL accepted connections {} ms after its process started",
                        (System.nanoTime() - started) / 1_000_000);
                return;
            }
            if (outcome == Outcome.PORT_TAKEN && attempt < PORT_ATTEMPTS) {
                // Another process took the port between our probe and the server's bind: pick another one.
                LOG.debug("Port {} was taken before PostgreSQL could bind it; retrying", port);
                continue;
            }
            String reason = outcome == Outcome.TIMED_OUT
                    ? "did not accept connections within " + startupTimeout
                    : "exited with code " + exitCode();
            throw new IllegalStateException("PostgreSQL " + binariesVersion + " in " + dataDirectory + " " + reason
                    + "; last lines of " + logFile + ":\n" + logTail(40));
        }
    }

    private enum Outcome { READY, PORT_TAKEN, EXITED, TIMED_OUT }

    private Process startProcess() {
        List<String> command = new ArrayList<>(List.of(user.path(binDirectory.resolve("postgres")),
                "-D", user.path(dataDirectory), "-p", String.valueOf(port),
                "-c", "listen_addresses=127.0.0.1"));
        String socketDirectory = user.path(socketDirectory());
        String socketPath = socketDirectory + "/.s.PGSQL." + port;
        // A too long socket path makes the server fail; TCP alone serves JDBC.
        command.addAll(List.of("-c", "unix_socket_directories="
                + (socketPath.getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH ? socketDirectory : "")));
        ProcessBuilder builder = user.processBuilder(command, instanceDirectory, true)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        return ServerUser.launch(builder);
    }

    private Outcome awaitReady(long deadline) {
        PGSimpleDataSource probe = (PGSimpleDataSource) dataSource(SUPERUSER);
        probe.setConnectTimeout(5);
        probe.setLoginTimeout(5);
        while (true) {
            if (!process.isAlive()) {
                String log = logTail(20);
                return log.contains("could not bind") || log.contains("Address already in use")
                        ? Outcome.PORT_TAKEN : Outcome.EXITED;
            }
            try (Connection connection = probe.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SHOW server_version_num")) {
                rs.next();
                majorVersion = Integer.parseInt(rs.getString(1)) / 10000;
                return Outcome.READY;
            } catch (SQLException e) {
                // Refused or "the database system is starting up": keep polling until the deadline.
                LOG.trace("PostgreSQL on port {} not ready yet: {}", port, e.getMessage());
            }
            if (System.nanoTime() > deadline) {
                return Outcome.TIMED_OUT;
            }
            ServerUser.pollPause("PostgreSQL");
        }
    }

    private String exitCode() {
        try {
            return String.valueOf(process.exitValue());
        } catch (IllegalThreadStateException e) {
            return "unknown";
        }
    }

    /** A port on 127.0.0.1 that nothing listens on now; the server that binds it may still lose it to a race. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on 127.0.0.1", e);
        }
    }

    private String logTail(int lines) {
        return FileTrees.tail(logFile, lines);
    }

    /**
     * Where servers live: {@code seqguard.test.work-dir}, else {@code java.io.tmpdir} (the root's /tmp with a
     * chroot); created when missing.
     */
    static Path workDirectory(ServerUser user) {
        String configured = System.getProperty("seqguard.test.work-dir");
        boolean given = configured != null && !configured.isBlank();
        Path dir;
        if (user.root() == null) {
            dir = Paths.get(given ? configured : System.getProperty("java.io.tmpdir")).toAbsolutePath();
        } else {
            // The server inside the root sees only the root's files.
            dir = given ? Paths.get(configured).toAbsolutePath().normalize() : user.root().resolve("tmp");
            if (!dir.startsWith(user.root())) {
                throw new IllegalStateException("seqguard.test.work-dir " + dir + " is outside " + CHROOT + " "
                        + user.root() + ", where PostgreSQL cannot see it: unset it (the root's /tmp is used) or "
                        + "name a directory inside the root");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create work directory " + dir + " (seqguard.test.work-dir)", e);
        }
        return dir;
    }

    /** Fails, naming the way out, when {@code user} cannot enter every directory on the way to {@code path}. */
    static void requireReachable(Path path, ServerUser user) {
        Path closed;
        try {
            closed = Permissions.firstClosedAncestor(path, user.root());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the permissions of " + path, e);
        }
        if (closed != null) {
            throw new IllegalStateException("PostgreSQL runs as OS user " + user.name() + ", who cannot enter "
                    + closed + " on the way to " + path + ". Point -Dseqguard.test.work-dir (or -Djava.io.tmpdir) "
                    + "at a directory every user can enter, such as /tmp");
        }
    }

    private static void registerShutdownHook() {
        if (HOOK_REGISTERED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (EmbeddedPostgres server : RUNNING) {
                    server.stop();
                }
            }, "seqguard-postgres-shutdown"));
        }
    }

    /**
     * Deletes server directories left by JVMs that no longer run. Once per JVM and work directory; failures only
     * logged.
     * A server of a dead JVM that still runs (no setpriv, so no parent-death signal) is stopped first.
     */
    static void cleanStaleInstances(Path workDirectory, ServerUser user) {
        if (!STALE_CLEANED.add(workDirectory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(workDirectory)) {
            for (Path dir : entries.toList()) {
                Matcher m = INSTANCE_NAME.matcher(dir.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(dir)
                        || ProcessHandle.of(Long.parseLong(m.group(1))).isPresent()) {
                    continue;
                }
                stopOrphan(dir.resolve("data"), user);
                LOG.debug("Deleting stale server directory {}", dir);
                FileTrees.deleteQuietly(dir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot clean stale server directories in {}", workDirectory, e);
        }
    }

    /** Stops a postmaster whose JVM died, if its command line names {@code data}; waits up to 10 seconds. */
    private static void stopOrphan(Path data, ServerUser user) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).trim());
        Path cmdline = Paths.get("/proc", String.valueOf(pid), "cmdline");
        if (!Files.isReadable(cmdline)
                || !new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).contains(user.path(data))) {
            return;
        }
        LOG.info("Stopping PostgreSQL (pid {}) left running by a dead JVM in {}", pid, data);
        // The shell's own kill: a minimal root (chroot) may have no kill program.
        user.run(List.of("/bin/sh", "-c", "kill -INT " + pid), data.getParent(), COMMAND_TIMEOUT);
        ProcessHandle.of(pid).ifPresent(handle -> {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("PostgreSQL pid {} did not exit", pid, e);
            }
        });
    }

    /**
     * Stops the server (fast shutdown: open sessions are ended) and deletes its data directory. Does nothing for
     * {@link #shared()}, which stops when the JVM exits, or when already closed.
     */
    @Override
    public void close() {
        if (sharedInstance) {
            LOG.debug("Ignoring close() of the shared server; it stops when the JVM exits");
            return;
        }
        stop();
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RUNNING.remove(this);
        long started = System.nanoTime();
        try {
            if (process != null && process.isAlive()) {
                ServerUser.Result result = pgCtlStop("fast", 60);
                if (result.exitCode() != 0) {
                    // PostgreSQL 18 and 19 never end a fast shutdown requested during crash recovery: immediate
                    // mode (SIGQUIT) still stops them; a test server's data is thrown away anyway
                    LOG.warn("pg_ctl stop failed for {}: {}; stopping it in immediate mode", dataDirectory,
                            result.output().trim());
                    pgCtlStop("immediate", 10);
                }
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    LOG.warn("PostgreSQL in {} did not stop; killing it", dataDirectory);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (RuntimeException e) {
            LOG.warn("Cannot stop PostgreSQL in {} cleanly", dataDirectory, e);
            process.destroyForcibly();
        } finally {
            FileTrees.deleteQuietly(instanceDirectory);
        }
        if (primary != null && !primary.closed.get()) {
            primary.dropSlot(slot);
        }
        LOG.debug("Stopped PostgreSQL on port {} in {} ms", port, (System.nanoTime() - started) / 1_000_000);
    }

    /** {@code pg_ctl stop} in the given mode, waiting at most that many seconds, as the server's OS user. */
    private ServerUser.Result pgCtlStop(String mode, int seconds) {
        return user.run(List.of(user.path(binDirectory.resolve("pg_ctl")), "stop", "-D", user.path(dataDirectory),
                "-m", mode, "-w", "-t", String.valueOf(seconds)), instanceDirectory, COMMAND_TIMEOUT);
    }

    /** Drops a standby's slot; its WAL sender may take a moment to notice that the standby is gone. */
    private void dropSlot(String name) {
        String sql = "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                + name + "'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Connection connection = dataSource(SUPERUSER).getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    LOG.warn("Cannot drop replication slot {} on port {}: {}", name, port, e.getMessage());
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Runs a command as the OS user the server runs as ({@code nobody} when the JVM is root, else the JVM's own
     * user), in the server's directory, and waits for it (at most two minutes). Meant for PostgreSQL's own tools,
     * such as {@code pg_ctl} from {@link #binDirectory()}, or for copying files the server owns. With a
     * {@link Builder#chroot} the command runs inside the root, and arguments that are paths under the root (such as
     * {@link #dataDirectory()}) are passed as the server sees them.
     *
     * @param command the program and its arguments
     * @return the command's standard output and error, combined
     * @throws IllegalStateException if it exits with a non-zero code; the message has its output
     */
    public String runAsServerUser(List<String> command) {
        List<String> seen = command.stream().map(this::asServerSees).toList();
        return user.runChecked(seen, instanceDirectory, COMMAND_TIMEOUT);
    }

    private String asServerSees(String argument) {
        Path root = user.root();
        if (root == null || !argument.startsWith(root + "/")) {
            return argument;
        }
        return user.path(Paths.get(argument));
    }

    /**
     * The OS user the server's processes run as.
     *
     * @return for example {@code nobody}
     */
    public String serverUser() {
        return user.name();
    }

    /**
     * The TCP port on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    @Override
    public int majorVersion() {
        return majorVersion;
    }

    /**
     * The binaries version in use, for example {@code 18.6.0}, or {@code installed} for
     * {@link Builder#binDirectory}.
     *
     * @return the version
     */
    public String binariesVersion() {
        return binariesVersion;
    }

    /**
     * The server's data directory (PGDATA), owned by {@link #serverUser()}.
     *
     * @return an absolute path
     */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * The directory with {@code initdb}, {@code postgres} and {@code pg_ctl} (the Maven Central binaries have no
     * psql nor pg_basebackup), as a path on this host (inside the root with {@link Builder#chroot}).
     *
     * @return an absolute path
     */
    public Path binDirectory() {
        return binDirectory;
    }

    /**
     * The file the server writes its log to.
     *
     * @return an absolute path
     */
    public Path logFile() {
        return logFile;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DataSources.encode(database);
    }

    @Override
    public DataSource dataSource(String database) {
        return dataSource(database, SUPERUSER, null);
    }

    @Override
    public DataSource dataSource(String database, String user, String password) {
        return DataSources.create(jdbcUrl(database), user, password);
    }

    @Override
    public String superuser() {
        return SUPERUSER;
    }

    @Override
    public String defaultDatabase() {
        return "postgres";
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + binariesVersion + ", port " + port + ", " + dataDirectory + "]";
    }
}
