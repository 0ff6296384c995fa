package io.seqguard.test;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses and holds the JVM-wide {@link PostgresServer#shared()} from system properties. */
final class Providers {

    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    static final String PROVIDER = "seqguard.test.postgres";

    private static PostgresServer shared;

    private Providers() {
    }

    static synchronized PostgresServer shared() {
        String provider = provider();
        if ("embedded".equals(provider) || "installed".equals(provider)) {
            // Not cached here: EmbeddedPostgres.shared() restarts its server should it ever have been stopped.
            // Its builder reads seqguard.test.bin-dir and seqguard.test.chroot for "installed".
            return EmbeddedPostgres.shared();
        }
        if (shared == null) {
            shared = switch (provider) {
                case "external" -> external();
                case "testcontainers" -> Testcontainers.start();
                default -> throw new IllegalArgumentException("System property " + PROVIDER + " is '" + provider
                        + "'; expected embedded, installed, external or testcontainers");
            };
            LOG.info("Using {} for tests", shared);
        }
        return shared;
    }

    private static String provider() {
        return System.getProperty(PROVIDER, "embedded").trim().toLowerCase(Locale.ROOT);
    }

    /** True when {@code seqguard.test.postgres=installed}: every embedded server runs the installed binaries. */
    static boolean installedSelected() {
        return "installed".equals(provider());
    }

    private static PostgresServer external() {
        String url = System.getProperty("seqguard.test.jdbc-url");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("System property seqguard.test.jdbc-url is required when "
                    + PROVIDER + "=external, for example jdbc:postgresql://localhost:5432/postgres");
        }
        return new ExternalPostgres(url.trim(), System.getProperty("seqguard.test.user", "postgres"),
                System.getProperty("seqguard.test.password", ""));
    }

    /**
     * Testcontainers through reflection, so that seqguard-test does not depend on it: only users who select it
     * add it (1.x: {@code org.testcontainers:postgresql}, 2.x: {@code org.testcontainers:testcontainers-postgresql}).
     * This project's CI has no Docker engine: its tests check the calls against Testcontainers 2 and that a missing
     * engine is reported with the image, not that a container starts.
     */
    static final class Testcontainers {

        private static final String[] CLASSES = {
            "org.testcontainers.postgresql.PostgreSQLContainer", // 2.x
            "org.testcontainers.containers.PostgreSQLContainer", // 1.x
        };

        private Testcontainers() {
        }

        static PostgresServer start() {
            ContainerApi api = ContainerApi.of(containerClass());
            String version = PostgresBinaries.selectedVersion();
            String image = System.getProperty("seqguard.test.image", "postgres:" + imageTag(version));
            try {
                Object container = api.create().newInstance(image);
                api.withCommand().invoke(container, (Object) new String[] {
                    "postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                    "-c", "wal_level=logical", "-c", "max_wal_senders=10", "-c", "max_replication_slots=10",
                    "-c", "max_connections=200"});
                api.start().invoke(container);
                String url = (String) api.jdbcUrl().invoke(container);
                String user = (String) api.username().invoke(container);
                String password = (String) api.password().invoke(container);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        api.stop().invoke(container);
                    } catch (ReflectiveOperationException e) {
                        LOG.debug("Cannot stop the Testcontainers PostgreSQL", e);
                    }
                }, "seqguard-testcontainers-shutdown"));
                return new ExternalPostgres(url, user, password);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("Testcontainers could not start " + image + ": "
                        + e.getCause().getMessage(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Unsupported Testcontainers version: " + e, e);
            }
        }

        /** What seqguard calls on a {@code PostgreSQLContainer}, looked up once and checked before any is called. */
        record ContainerApi(Constructor<?> create, Method withCommand, Method start, Method jdbcUrl, Method username,
                Method password, Method stop) {

            static ContainerApi of(Class<?> type) {
                try {
                    return new ContainerApi(type.getConstructor(String.class),
                            type.getMethod("withCommand", String[].class), type.getMethod("start"),
                            type.getMethod("getJdbcUrl"), type.getMethod("getUsername"),
                            type.getMethod("getPassword"), type.getMethod("stop"));
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException("Unsupported Testcontainers version: " + type.getName()
                            + " has no " + e.getMessage() + "; use Testcontainers 1.20+ or 2.x", e);
                }
            }
        }

        /** {@code 16} stays {@code 16}; a binaries version {@code 16.9.0} becomes the image tag {@code 16.9}. */
        static String imageTag(String version) {
            String[] parts = version.split("\\.");
            return parts.length >= 2 ? parts[0] + "." + parts[1] : parts[0];
        }

        static Class<?> containerClass() {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            ClassLoader loader = context != null ? context : Providers.class.getClassLoader();
            for (String name : CLASSES) {
                try {
                    return Class.forName(name, true, loader);
                } catch (ClassNotFoundException e) {
                    // try the next one
                }
            }
            throw new IllegalStateException(PROVIDER + "=testcontainers needs Testcontainers on the test classpath: "
                    + "add org.testcontainers:postgresql (1.x) or org.testcontainers:testcontainers-postgresql (2.x)");
        }
    }
}
