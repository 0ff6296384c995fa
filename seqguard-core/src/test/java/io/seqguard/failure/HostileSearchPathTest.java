package io.seqguard.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.AlignmentReport;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceReport;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A session whose search_path puts another schema before pg_catalog ({@code options=-c search_path=evil,pg_catalog})
 * must see exactly what a plain session sees: seqguard's catalog lookups, casts, functions and operators cannot be
 * redirected by look-alike tables and functions in that schema.
 */
@PostgresTest
class HostileSearchPathTest {

    private static final String SCHEMA = "sp \"ü\"; DROP TABLE x";

    private final TestDatabase db;

    HostileSearchPathTest(TestDatabase db) {
        this.db = db;
    }

    private static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @BeforeAll
    static void schemas(TestDatabase db) {
        db.execute("CREATE SCHEMA " + q(SCHEMA),
                "CREATE TABLE " + q(SCHEMA) + ".orders (id serial PRIMARY KEY)",
                "INSERT INTO " + q(SCHEMA) + ".orders SELECT generate_series(1, 50)",
                "CREATE SEQUENCE " + q(SCHEMA) + ".shared",
                "CREATE TABLE " + q(SCHEMA) + ".\"a; b\" (id bigint DEFAULT nextval('" + q(SCHEMA).replace("'", "''")
                        + ".shared') PRIMARY KEY)",
                "INSERT INTO " + q(SCHEMA) + ".\"a; b\" VALUES (70)",
                // look-alikes of everything seqguard asks the catalog, empty or lying
                "CREATE SCHEMA evil",
                "CREATE TABLE evil.pg_class (oid oid, relname name, relnamespace oid, relkind \"char\")",
                "CREATE TABLE evil.pg_namespace (oid oid, nspname name)",
                "CREATE TABLE evil.pg_sequence (seqrelid oid)",
                "CREATE TABLE evil.pg_depend (objid oid)",
                "CREATE TABLE evil.pg_attrdef (oid oid)",
                "CREATE TABLE evil.pg_attribute (attrelid oid)",
                "CREATE TABLE evil.pg_index (indrelid oid)",
                "CREATE TABLE evil.pg_inherits (inhparent oid)",
                "CREATE TABLE evil.pg_database (oid oid, datname name)",
                "CREATE TABLE evil.pg_subscription (subname name, subenabled boolean, subdbid oid)",
                "CREATE TABLE evil.pg_locks (pid int)",
                "CREATE FUNCTION evil.pg_sequence_last_value(regclass) RETURNS bigint LANGUAGE sql "
                        + "AS 'SELECT 1000000::bigint'",
                "CREATE FUNCTION evil.pg_is_in_recovery() RETURNS boolean LANGUAGE sql AS 'SELECT true'",
                "CREATE FUNCTION evil.setval(regclass, bigint, boolean) RETURNS bigint LANGUAGE sql "
                        + "AS 'SELECT 1::bigint'",
                "CREATE FUNCTION evil.format(text, VARIADIC \"any\") RETURNS text LANGUAGE internal AS 'text_format'",
                "CREATE FUNCTION evil.quote_ident(text) RETURNS text LANGUAGE sql AS 'SELECT ''x'''",
                // a subscription that still feeds the database: the guard must see it, not evil's empty table
                "CREATE SUBSCRIPTION " + q("still feeding \"ü\"") + " CONNECTION 'host=127.0.0.1 port=1 dbname=none' "
                        + "PUBLICATION p WITH (connect = false, create_slot = false, slot_name = 'none_slot', "
                        + "enabled = false)",
                "ALTER SUBSCRIPTION " + q("still feeding \"ü\"") + " ENABLE");
        if (db.majorVersion() >= 18) {
            db.execute("CREATE FUNCTION evil.pg_get_sequence_data(regclass, OUT last_value bigint, OUT is_called "
                    + "boolean, OUT page_lsn pg_lsn) LANGUAGE sql AS 'SELECT 1000000::bigint, true, NULL::pg_lsn'");
        }
    }

    @AfterAll
    static void dropSubscription(TestDatabase db) {
        String sub = q("still feeding \"ü\"");
        db.execute("ALTER SUBSCRIPTION " + sub + " DISABLE", "ALTER SUBSCRIPTION " + sub + " SET (slot_name = NONE)",
                "DROP SUBSCRIPTION " + sub);
    }

    private DataSource hostile() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(db.jdbcUrl());
        dataSource.setUser("postgres");
        dataSource.setOptions("-c search_path=evil,pg_catalog");
        return dataSource;
    }

    private static List<String> facts(AlignmentReport report) {
        return report.sequences().stream().map(s -> s.displayName() + " " + s.status() + " next " + s.nextValue()
                + " bound " + s.dataBound() + " columns " + s.columns().size()).collect(Collectors.toList());
    }

    @Test
    void theHostileSessionReallyResolvesToEvil() {
        // the fixture works: without seqguard's care, unqualified names land in evil
        try (var c = hostile().getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM pg_class")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void verifySeesWhatAPlainSessionSees() {
        AlignmentReport plain = SequenceAligner.configure().dataSource(db.dataSource()).schemas(q(SCHEMA)).load()
                .verify();
        AlignmentReport hostile = SequenceAligner.configure().dataSource(hostile()).schemas(q(SCHEMA)).load()
                .verify();
        assertThat(facts(hostile)).isEqualTo(facts(plain)).hasSize(2);
        // the subscription that still feeds the database, not evil's empty pg_subscription
        assertThat(hostile.enabledSubscriptions()).isEqualTo(plain.enabledSubscriptions())
                .containsExactly(q("still feeding \"ü\""));
        assertThat(hostile.sequences()).extracting(SequenceReport::nextValue)
                .as("evil's pg_sequence_last_value and pg_get_sequence_data answer 1000000")
                .doesNotContain(1_000_000L, 1_000_001L);
    }

    @Test
    void repairReallyMovesTheSequencesAndTheGuardSeesTheSubscription() {
        StartupGuardException refused = catchThrowableOfType(StartupGuardException.class,
                () -> StartupGuard.configure().dataSource(hostile()).aligner(a -> a.schemas(q(SCHEMA))).load().run());
        assertThat(refused.reason()).isEqualTo(StartupGuardException.Reason.SUBSCRIPTION);
        // named as SQL writes it, as the statement that disables it does
        assertThat(refused.getMessage())
                .contains("enabled subscription(s) " + q("still feeding \"ü\"") + " still feed it");

        AlignmentReport repair = SequenceAligner.configure().dataSource(hostile()).schemas(q(SCHEMA)).load()
                .repair();
        assertThat(repair.isAligned()).isTrue();
        assertThat(db.queryForLong("SELECT nextval('" + q(SCHEMA).replace("'", "''") + ".shared')")).isEqualTo(71);
    }
}
