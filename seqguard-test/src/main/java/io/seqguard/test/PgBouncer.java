package io.seqguard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PgBouncer in front of a {@link PostgresServer}, run from the installed {@code pgbouncer} (Debian's package:
 * {@code apt-get install pgbouncer}), listening on 127.0.0.1 only, in session or transaction pooling.
 *
 * <pre>{@code
 * PgBouncer.assumeInstalled(); // a test on a machine without pgbouncer is reported as not run, with the reason
 * try (PgBouncer bouncer = PgBouncer.builder(db.server()).poolMode(PgBouncer.PoolMode.TRANSACTION).start()) {
 *     DataSource ds = bouncer.dataSource(db.name());
 * }
 * }</pre>
 *
 * <p>Every database name is passed on to the server as it is, and every role the server knows may log in: the
 * proxy trusts its clients and looks roles up on the server ({@code auth_query}, as the superuser), so roles a test
 * creates later log in too. It logs in to the server as the client's role, without a password, so the server must
 * trust local TCP connections, as the embedded one does. The start-up parameter {@code extra_float_digits}, which
 * older pgjdbc versions send, is ignored, as pgjdbc deployments behind PgBouncer configure it. The data sources it
 * gives leave the driver at its defaults ({@code prepareThreshold} 5), as a user's URL would.
 *
 * <p>Like {@link EmbeddedPostgres}, it runs as the unprivileged {@link ServerUser} when the JVM is root (PgBouncer
 * refuses to run as root), in a directory of its own under {@code seqguard.test.work-dir} (default
 * {@code java.io.tmpdir}) that {@link #close()} deletes, and it stops when the JVM exits or is killed.
 */
public final class PgBouncer implements PostgresServer, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PgBouncer.class);

    /** System property naming the pgbouncer executable, for an installation outside the usual places. */
    public static final String EXECUTABLE_PROPERTY = "seqguard.test.pgbouncer";

    /** System property that makes {@link #assumeInstalled()} fail instead of skip where pgbouncer is missing. */
    public static final String REQUIRED_PROPERTY = "seqguard.test.require-pgbouncer";

    private static final List<String> WELL_KNOWN = List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer",
            "/usr/local/bin/pgbouncer");
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<PgBouncer> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_REGISTERED = new AtomicBoolean();
    private static final AtomicBoolean SKIP_LOGGED = new AtomicBoolean();

    /** How PgBouncer hands server connections to its clients. */
    public enum PoolMode {
        /** A client keeps one server connection until it disconnects. */
        SESSION,
        /** A client has a server connection for one transaction at a time; between them, any other client may. */
        TRANSACTION;

        String setting() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PostgresServer server;
    private final PoolMode poolMode;
    private final Path directory;
    private final Path logFile;
    private final ServerUser user;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Process process;
    private volatile int port;

    private PgBouncer(PostgresServer server, PoolMode poolMode, Path directory, ServerUser user) {
        this.server = server;
        this.poolMode = poolMode;
        this.directory = directory;
        this.logFile = directory.resolve("pgbouncer.log");
        this.user = user;
    }

    /**
     * The pgbouncer executable: property {@value #EXECUTABLE_PROPERTY}, else Debian's {@code /usr/sbin/pgbouncer}
     * and a few usual places, else {@code pgbouncer} on the {@code PATH}.
     *
     * @return its path, or null when none is installed
     */
    public static Path executable() {
        String configured = System.getProperty(EXECUTABLE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Paths.get(configured.trim());
            return Files.isExecutable(path) ? path : null;
        }
        String found = ServerUser.findExecutable("pgbouncer", WELL_KNOWN);
        return found == null ? null : Paths.get(found);
    }

    /**
     * Whether pgbouncer is installed here.
     *
     * @return true when {@link #executable()} finds it
     */
    public static boolean isInstalled() {
        return executable() != null;
    }

    /**
     * Skips the calling test, with the reason and how to install pgbouncer, when it is not installed: JUnit then
     * reports the test as not run (skipped) instead of passed or failed. Where the tests must run (CI, which installs
     * pgbouncer), system property {@value #REQUIRED_PROPERTY}{@code =true} makes a missing pgbouncer a failure.
     *
     * @throws IllegalStateException when pgbouncer is missing and required
     */
    public static void assumeInstalled() {
        if (isInstalled()) {
            return;
        }
        String missing = "pgbouncer is not installed (" + (System.getProperty(EXECUTABLE_PROPERTY) != null
                ? "property " + EXECUTABLE_PROPERTY + " = " + System.getProperty(EXECUTABLE_PROPERTY)
                        + " is not executable"
                : "looked in " + String.join(", ", WELL_KNOWN) + " and on the PATH")
                + "); install Debian's package (apt-get install pgbouncer), as .ci/run does";
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
            throw new IllegalStateException(missing + "; " + REQUIRED_PROPERTY + " is true, so this test must run");
        }
        if (SKIP_LOGGED.compareAndSet(false, true)) {
            // surefire counts skipped tests but does not print why: say it once where the build's output shows it
            LOG.warn("Tests that need pgbouncer are not run: {}, to run them", missing);
        }
        Assumptions.abort("not run: " + missing + ", to run it");
    }

    /**
     * A builder for a PgBouncer in front of {@code server}, found through its JDBC URL.
     *
     * @param server the server to pool connections to
     * @return a new builder; transaction pooling unless told otherwise
     */
    public static Builder builder(PostgresServer server) {
        return new Builder(Objects.requireNonNull(server, "server"));
    }

    /** Builds and starts a {@link PgBouncer}. One builder per proxy. */
    public static final class Builder {

        private final PostgresServer server;
        private PoolMode poolMode = PoolMode.TRANSACTION;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder(PostgresServer server) {
            this.server = server;
            settings.put("max_client_conn", "500");
            settings.put("default_pool_size", "20");
        }

        /**
         * Session or transaction pooling (default transaction, the mode that breaks session state).
         *
         * @param poolMode the mode
         * @return this builder
         */
        public Builder poolMode(PoolMode poolMode) {
            this.poolMode = Objects.requireNonNull(poolMode, "poolMode");
            return this;
        }

        /**
         * A setting of the {@code [pgbouncer]} section, for example {@code default_pool_size} (default 20 here, as
         * in PgBouncer), {@code max_client_conn} (default 500 here) or {@code idle_transaction_timeout}. The
         * address, port, authentication, pool mode and files are chosen by the proxy's start.
         *
         * @param name the setting
         * @param value its value
         * @return this builder
         */
        public Builder setting(String name, String value) {
            Objects.requireNonNull(value, "value");
            if (!Objects.requireNonNull(name, "name").matches("[a-z_]+") || value.matches(".*[\\r\\n].*")) {
                throw new IllegalArgumentException("Not a PgBouncer setting: " + name + " = " + value);
            }
            if (Set.of("listen_addr", "listen_port", "unix_socket_dir", "auth_type", "auth_file", "auth_user",
                    "auth_query", "pool_mode", "logfile", "pidfile").contains(name)) {
                throw new IllegalArgumentException("Setting " + name + " is managed by PgBouncer's start");
            }
            settings.put(name, value);
            return this;
        }

        /**
         * Writes the configuration and starts pgbouncer; returns once a connection through it reaches the server.
         *
         * @return the running proxy; close it to stop it and delete its files
         * @throws IllegalStateException when pgbouncer is not installed or does not start; the message ends with
         *     its log
         */
        public PgBouncer start() {
            Path executable = executable();
            if (executable == null) {
                throw new IllegalStateException("pgbouncer is not installed: apt-get install pgbouncer (or set "
                        + EXECUTABLE_PROPERTY + ")");
            }
            long started = System.nanoTime();
            ServerUser user = ServerUser.current();
            Path workDirectory = EmbeddedPostgres.workDirectory(user);
            EmbeddedPostgres.cleanStaleInstances(workDirectory, user);
            if (user.switching()) {
                EmbeddedPostgres.requireReachable(workDirectory, user);
            }
            // named like a server's, so that a later JVM deletes it should this one be killed
            Path directory = EmbeddedPostgres.newInstanceDirectory(workDirectory);
            try {
                user.own(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot hand " + directory + " to " + user.name(), e);
            }
            PgBouncer bouncer = new PgBouncer(server, poolMode, directory, user);
            try {
                bouncer.launch(executable, settings);
            } catch (RuntimeException e) {
                bouncer.close();
                throw e;
            }
            LOG.info("Started PgBouncer ({} pooling) on 127.0.0.1:{} in front of {} in {} ms", poolMode.setting(),
                    bouncer.port, server.jdbcUrl(server.defaultDatabase()),
                    (System.nanoTime() - started) / 1_000_000);
            return bouncer;
        }
    }

    private void launch(Path executable, Map<String, String> settings) {
        Properties target = Driver.parseURL(server.jdbcUrl(server.defaultDatabase()), null);
        if (target == null) {
            throw new IllegalStateException("Cannot read host and port from " + server.jdbcUrl(
                    server.defaultDatabase()));
        }
        String host = PGProperty.PG_HOST.getOrDefault(target).split(",")[0];
        String serverPort = PGProperty.PG_PORT.getOrDefault(target).split(",")[0];
        if (!host.matches("[A-Za-z0-9.:_-]+") || !serverPort.matches("\\d+")) {
            throw new IllegalStateException("Unexpected host or port in " + server.jdbcUrl(server.defaultDatabase()));
        }
        registerShutdownHook();
        RUNNING.add(this);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        for (int attempt = 1; ; attempt++) {
            port = EmbeddedPostgres.freePort();
            writeConfiguration(host, serverPort, settings);
            ProcessBuilder builder = user.processBuilder(List.of(executable.toString(), configFile().toString()),
                    directory, true)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = ServerUser.launch(builder);
            String failure = awaitReady(deadline);
            if (failure == null) {
                return;
            }
            if (attempt < PORT_ATTEMPTS && logTail(20).contains("Address already in use")) {
                LOG.debug("Port {} was taken before pgbouncer could bind it; retrying", port);
                stopProcess();
                continue;
            }
            throw new IllegalStateException("pgbouncer in " + directory + " " + failure + "; last lines of "
                    + logFile + ":\n" + logTail(40));
        }
    }

    private Path configFile() {
        return directory.resolve("pgbouncer.ini");
    }

    private void writeConfiguration(String host, String serverPort, Map<String, String> settings) {
        StringBuilder ini = new StringBuilder("[databases]\n")
                // the fallback database: any name the client asks for, on the server, as the client's role
                .append("* = host=").append(host).append(" port=").append(serverPort).append("\n\n")
                .append("[pgbouncer]\n")
                .append("listen_addr = 127.0.0.1\n")
                .append("listen_port = ").append(port).append('\n')
                .append("unix_socket_dir =\n")
                .append("pool_mode = ").append(poolMode.setting()).append('\n')
                .append("auth_type = trust\n")
                .append("auth_file = ").append(directory.resolve("userlist.txt")).append('\n')
                .append("auth_user = ").append(server.superuser()).append('\n')
                .append("auth_query = SELECT rolname, NULL::text FROM pg_catalog.pg_roles WHERE rolname = $1 "
                        + "AND rolcanlogin\n")
                .append("admin_users = ").append(server.superuser()).append('\n')
                .append("ignore_startup_parameters = extra_float_digits\n");
        settings.forEach((name, value) -> ini.append(name).append(" = ").append(value).append('\n'));
        try {
            Path users = directory.resolve("userlist.txt");
            Files.writeString(users, "\"" + server.superuser().replace("\"", "\"\"") + "\" \"\"\n",
                    StandardCharsets.UTF_8);
            user.own(users);
            Files.writeString(configFile(), ini, StandardCharsets.UTF_8);
            user.own(configFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the configuration in " + directory, e);
        }
    }

    /** Null once a connection through the proxy reaches the server; else why not, at the deadline. */
    private String awaitReady(long deadline) {
        PGSimpleDataSource probe = (PGSimpleDataSource) dataSource(server.defaultDatabase());
        probe.setConnectTimeout(5);
        probe.setLoginTimeout(5);
        while (true) {
            if (!process.isAlive()) {
                return "exited with code " + process.exitValue();
            }
            try (Connection connection = probe.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT 1")) {
                rs.next();
                return null;
            } catch (SQLException e) {
                LOG.trace("pgbouncer on port {} not ready yet: {}", port, e.getMessage());
            }
            if (System.nanoTime() > deadline) {
                return "did not pass a connection to the server within " + STARTUP_TIMEOUT;
            }
            ServerUser.pollPause("pgbouncer");
        }
    }

    /**
     * The pool mode.
     *
     * @return session or transaction
     */
    public PoolMode poolMode() {
        return poolMode;
    }

    /**
     * The TCP port on 127.0.0.1 that clients connect to.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The file pgbouncer logs to.
     *
     * @return an absolute path
     */
    public Path logFile() {
        return logFile;
    }

    /**
     * The server behind the proxy.
     *
     * @return the server given to the builder
     */
    public PostgresServer server() {
        return server;
    }

    @Override
    public int majorVersion() {
        return server.majorVersion();
    }

    /** A URL through the proxy; the driver's own settings are left at their defaults, as a user's would be. */
    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DataSources.encode(database);
    }

    @Override
    public DataSource dataSource(String database) {
        return dataSource(database, server.superuser(), null);
    }

    @Override
    public DataSource dataSource(String database, String user, String password) {
        return DataSources.create(jdbcUrl(database), user, password);
    }

    @Override
    public String superuser() {
        return server.superuser();
    }

    @Override
    public String defaultDatabase() {
        return server.defaultDatabase();
    }

    /** Stops pgbouncer at once (its clients' connections break) and deletes its files; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RUNNING.remove(this);
        stopProcess();
        FileTrees.deleteQuietly(directory);
    }

    /** SIGTERM: PgBouncer's immediate shutdown. */
    private void stopProcess() {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("pgbouncer on port {} did not stop; killing it", port);
                running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
    }

    private String logTail(int lines) {
        return FileTrees.tail(logFile, lines);
    }

    private static void registerShutdownHook() {
        if (HOOK_REGISTERED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (PgBouncer bouncer : RUNNING) {
                    bouncer.close();
                }
            }, "seqguard-pgbouncer-shutdown"));
        }
    }

    @Override
    public String toString() {
        return "PgBouncer[" + poolMode.setting() + " pooling, port " + port + ", in front of "
                + server.jdbcUrl(server.defaultDatabase()) + "]";
    }
}
