package io.seqguard.test;

import javax.sql.DataSource;

/**
 * A running PostgreSQL server that tests may create databases on, reached as a superuser.
 *
 * <p>{@link #shared()} picks the implementation from the system property {@code seqguard.test.postgres}:
 * <ul>
 *   <li>{@code embedded} (default): {@link EmbeddedPostgres#shared()}, real binaries from Maven Central, version
 *       from {@code pg.version} (12..18, default 18).</li>
 *   <li>{@code installed}: {@link EmbeddedPostgres#shared()} from an installed PostgreSQL, whose bin directory
 *       ({@code initdb}, {@code postgres}, {@code pg_ctl}) {@code seqguard.test.bin-dir} names, for example
 *       {@code /usr/lib/postgresql/19/bin}; with {@code seqguard.test.chroot} it runs inside that root directory
 *       (the JVM must be root), for a PostgreSQL built for a newer system. {@code pg.version}, when set, must name
 *       its major. Second servers ({@link EmbeddedPostgres#builder()}) and standbys run it too.</li>
 *   <li>{@code external}: an existing server, given by {@code seqguard.test.jdbc-url} (for example
 *       {@code jdbc:postgresql://localhost:5432/postgres}), {@code seqguard.test.user} (default {@code postgres})
 *       and {@code seqguard.test.password} (default empty). The user must be a superuser or at least may create
 *       databases and roles.</li>
 *   <li>{@code testcontainers}: a {@code postgres:<pg.version>} container (image overridable with
 *       {@code seqguard.test.image}); needs a Docker engine and {@code org.testcontainers:postgresql} (1.x) or
 *       {@code org.testcontainers:testcontainers-postgresql} (2.x) on the test classpath, which seqguard-test does
 *       not bring.</li>
 * </ul>
 */
public interface PostgresServer {

    /**
     * The one server of this JVM for the provider selected by {@code seqguard.test.postgres}, started on first use
     * and stopped when the JVM exits.
     *
     * @return the shared server
     * @throws IllegalArgumentException if the properties are invalid (the message names the property)
     */
    static PostgresServer shared() {
        return Providers.shared();
    }

    /**
     * The server's major version, read from the server ({@code server_version_num / 10000}).
     *
     * @return for example 18
     */
    int majorVersion();

    /**
     * A JDBC URL for one database on this server, without credentials.
     *
     * @param database the database name
     * @return a {@code jdbc:postgresql:} URL
     */
    String jdbcUrl(String database);

    /**
     * A data source connecting as the superuser ({@link #superuser()}).
     *
     * @param database the database name
     * @return a new, unpooled data source
     */
    DataSource dataSource(String database);

    /**
     * A data source connecting as another role.
     *
     * @param database the database name
     * @param user the role to log in as
     * @param password its password ({@code null} or empty where the server trusts local connections)
     * @return a new, unpooled data source
     */
    DataSource dataSource(String database, String user, String password);

    /**
     * The superuser that {@link #dataSource(String)} logs in as.
     *
     * @return the role name, {@code postgres} for the embedded server
     */
    String superuser();

    /**
     * The database that always exists and that administrative statements (CREATE DATABASE) connect to.
     *
     * @return usually {@code postgres}
     */
    String defaultDatabase();
}
