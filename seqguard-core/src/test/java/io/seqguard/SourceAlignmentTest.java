package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqguard.test.Await;
import io.seqguard.test.EmbeddedPostgres;
import io.seqguard.test.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The old primary as a second witness, on two embedded servers with native logical replication: rows are replicated
 * with their ids, sequences are not. Verifies (read-only) through a role that may only read the source's sequences
 * and through a hot standby of the source, then repairs through the source itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceAlignmentTest {

    private static final String SCHEMA = "src \"q\" ü; DROP TABLE x";
    /** Used only by application code: no column. */
    private static final String ORPHAN = "invoice no. 'ü'";
    /** Handed out values in transactions that rolled back: gaps the data cannot show. */
    private static final String GAPS = "order's lines";
    /** The target's sequence is already far ahead: never lowered. */
    private static final String AHEAD = "ahead \"of\" it";
    /** Different type, increment and maximum on the two sides. */
    private static final String MISMATCH = "mis match ☃";
    /** Descending orphan. */
    private static final String DOWN = "down ↓";
    private static final String SOURCE_ONLY = "only on the \"source\"";
    private static final String TARGET_ONLY = "only here 日本";
    private static final String READER = "seqguard source reader ü";

    private static EmbeddedPostgres oldServer;
    private static EmbeddedPostgres newServer;
    private static TestDatabase oldDb;
    private static TestDatabase newDb;
    private static DataSource source;
    private static DataSource target;

    static String q(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String seq(String name) {
        return q(SCHEMA) + "." + q(name);
    }

    @BeforeAll
    static void replicateAndCutOver() throws Exception {
        oldServer = EmbeddedPostgres.builder().start();
        newServer = EmbeddedPostgres.builder().start();
        oldDb = TestDatabase.create(oldServer, "source_old");
        newDb = TestDatabase.create(newServer, "source_new");
        source = oldDb.dataSource();
        target = newDb.dataSource();
        List<String> common = List.of("CREATE SCHEMA " + q(SCHEMA),
                "CREATE SEQUENCE " + seq(ORPHAN),
                "CREATE SEQUENCE " + seq(DOWN) + " INCREMENT -1",
                "CREATE TABLE " + seq(GAPS) + " (id bigserial PRIMARY KEY, note text)",
                "CREATE TABLE " + seq(AHEAD) + " (id serial PRIMARY KEY)");
        oldDb.execute(common.toArray(String[]::new));
        newDb.execute(common.toArray(String[]::new));
        oldDb.execute("CREATE SEQUENCE " + seq(MISMATCH) + " AS bigint INCREMENT 1 MAXVALUE 1000",
                "CREATE SEQUENCE " + seq(SOURCE_ONLY));
        newDb.execute("CREATE SEQUENCE " + seq(MISMATCH) + " AS integer INCREMENT 5 MAXVALUE 500",
                "CREATE SEQUENCE " + seq(TARGET_ONLY));

        // the application on the old primary
        oldDb.execute("SELECT nextval('" + seq(ORPHAN).replace("'", "''") + "') FROM generate_series(1, 42)",
                "SELECT nextval('" + seq(DOWN).replace("'", "''") + "') FROM generate_series(1, 3)",
                "SELECT nextval('" + seq(MISMATCH).replace("'", "''") + "') FROM generate_series(1, 3)",
                "SELECT nextval('" + seq(SOURCE_ONLY).replace("'", "''") + "')",
                "INSERT INTO " + seq(GAPS) + " (note) SELECT 'row ' || g FROM generate_series(1, 10) g",
                "INSERT INTO " + seq(AHEAD) + " SELECT FROM generate_series(1, 5)");
        try (Connection c = source.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO " + seq(GAPS) + " (note) SELECT 'in flight' FROM generate_series(1, 5)");
            c.rollback(); // ids 11..15 were handed out, maybe sent elsewhere, never committed
        }

        oldDb.execute("CREATE PUBLICATION " + q("pub ü \"p\"") + " FOR ALL TABLES");
        newDb.execute("CREATE SUBSCRIPTION " + q("sub ü; x") + " CONNECTION 'host=127.0.0.1 port="
                + oldServer.port() + " dbname=" + oldDb.name() + " user=postgres' PUBLICATION " + q("pub ü \"p\"")
                + " WITH (slot_name = 'source_alignment_slot')");
        awaitRows(seq(GAPS), 10);
        awaitRows(seq(AHEAD), 5);
        newDb.execute("ALTER SUBSCRIPTION " + q("sub ü; x") + " DISABLE");
        // someone moved this one far ahead on the new primary already
        newDb.execute("SELECT setval('" + q(SCHEMA).replace("'", "''") + "." + q(AHEAD + "_id_seq").replace("'", "''")
                + "', 1000)");
    }

    @AfterAll
    static void stopServers() {
        if (newServer != null) {
            newServer.close();
        }
        if (oldServer != null) {
            oldServer.close();
        }
    }

    private static void awaitRows(String table, long rows) {
        Await.until(rows + " rows replicated into " + table, Duration.ofSeconds(60),
                () -> newDb.queryForLong("SELECT count(*) FROM " + table) >= rows);
    }

    private static AlignerConfiguration aligner(DataSource sourceDataSource) {
        return SequenceAligner.configure().dataSource(target).source(sourceDataSource).schemas(q(SCHEMA));
    }

    private static SequenceReport find(AlignmentReport report, String name) {
        return report.sequences().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no sequence " + name + " in " + report));
    }

    private static long nextval(String name) {
        return newDb.queryForLong("SELECT nextval('" + seq(name).replace("'", "''") + "')");
    }

    @Test
    @Order(1)
    void withoutASourceTheOrphanIsNotVerifiableAndTheGapsAreLost() {
        AlignmentReport report = SequenceAligner.configure().dataSource(target).schemas(q(SCHEMA)).load().verify();
        assertThat(find(report, ORPHAN).status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        assertThat(find(report, ORPHAN).reason()).contains("give the old primary as a witness (source)");
        SequenceReport gaps = find(report, GAPS + "_id_seq");
        assertThat(gaps.requiredNextValue()).isEqualTo(11);
        assertThat(gaps.witness()).isEqualTo(Witness.DATA);
        assertThat(gaps.sourceNextValue()).isNull();
        assertThat(report.sourceOnlySequences()).isEmpty();
    }

    @Test
    @Order(2)
    void aRoleThatMayOnlyReadTheSourceSequencesWitnessesEverything() throws Exception {
        oldDb.createRole(READER, null);
        oldDb.execute("GRANT USAGE ON SCHEMA " + q(SCHEMA) + " TO " + q(READER),
                "GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + q(SCHEMA) + " TO " + q(READER));
        AlignmentReport report = aligner(oldDb.dataSource(READER, null)).load().verify();

        SequenceReport orphan = find(report, ORPHAN);
        assertThat(orphan.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(orphan.witness()).isEqualTo(Witness.SOURCE);
        assertThat(orphan.sourceNextValue()).isEqualTo(43);
        assertThat(orphan.requiredNextValue()).isEqualTo(43);
        assertThat(orphan.dataBound()).isNull();
        assertThat(orphan.notes()).contains("no column uses it: judged by the source alone");

        SequenceReport gaps = find(report, GAPS + "_id_seq");
        assertThat(gaps.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(gaps.dataBound()).isEqualTo(10);
        assertThat(gaps.sourceNextValue()).isEqualTo(16);
        assertThat(gaps.requiredNextValue()).isEqualTo(16);
        assertThat(gaps.witness()).isEqualTo(Witness.SOURCE);

        SequenceReport ahead = find(report, AHEAD + "_id_seq");
        assertThat(ahead.status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(ahead.witness()).isEqualTo(Witness.BOTH);
        assertThat(ahead.nextValue()).isEqualTo(1001);

        assertThat(report.sourceOnlySequences()).containsExactly(seq(SOURCE_ONLY));
        SequenceReport targetOnly = find(report, TARGET_ONLY);
        assertThat(targetOnly.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        assertThat(targetOnly.notes()).contains("no sequence of that name on the source");
        assertThat(targetOnly.sourceNextValue()).isNull();

        // nothing was written on the target by a verify
        assertThat(newDb.queryForString("SELECT last_value || ' ' || is_called FROM " + seq(ORPHAN)))
                .isEqualTo("1 false");
        // and the text and JSON say it
        assertThat(report.toText()).contains("witness: source decided (required next value 16; data max in use 10, "
                + "source next value 16)").contains("on the source only").contains(seq(SOURCE_ONLY));
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertThat(json.get("sourceOnlySequences").get(0).textValue()).isEqualTo(seq(SOURCE_ONLY));
        JsonNode first = null;
        for (JsonNode node : json.get("sequences")) {
            if (node.get("name").textValue().equals(GAPS + "_id_seq")) {
                first = node;
            }
        }
        assertThat(first.get("witness").textValue()).isEqualTo("source");
        assertThat(first.get("sourceNextValue").longValue()).isEqualTo(16);
        assertThat(catchThrowable(report::requireAligned).getMessage())
                .contains("the source had handed out values up to its next value 43");
    }

    /**
     * A sequence no column uses is verified by the source: when the source's could not be read this run, a working
     * read would have verified it, so {@code allowUnverified("all")} does not acknowledge it.
     */
    @Test
    @Order(3)
    void aSourceThatCouldNotBeReadIsNotWhatAllAcknowledges() {
        oldDb.execute("REVOKE SELECT ON SEQUENCE " + seq(ORPHAN) + " FROM " + q(READER));
        try {
            AlignmentReport report = aligner(oldDb.dataSource(READER, null)).allowUnverified("all").load().verify();
            SequenceReport orphan = find(report, ORPHAN);
            assertThat(orphan.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
            assertThat(orphan.notes()).anyMatch(note -> note.startsWith("the source's sequence could not be read"));
            assertThat(orphan.acknowledged()).isFalse();
            assertThat(orphan.reason()).contains("allowUnverified all does not cover it")
                    .as("one piece of advice, not the usual one as well")
                    .doesNotContain("or acknowledge that it is not verified");
            assertThat(find(report, TARGET_ONLY).acknowledged()).as("the source has none: no read can verify it")
                    .isTrue();
        } finally {
            oldDb.execute("GRANT SELECT ON SEQUENCE " + seq(ORPHAN) + " TO " + q(READER));
        }
    }

    @Test
    @Order(3)
    void aHotStandbyOfTheSourceWitnessesAtLeastAsFar() throws Exception {
        try (EmbeddedPostgres standby = oldServer.startStandby()) {
            DataSource replica = standby.dataSource(oldDb.name());
            // until then the standby is starting (connections refused) or replaying the schema
            Await.until("the standby to replay the 6 sequences", Duration.ofSeconds(60), () -> {
                try (Connection c = replica.getConnection(); Statement st = c.createStatement();
                        var rs = st.executeQuery("SELECT pg_is_in_recovery(), count(*) FROM pg_class c "
                                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '"
                                + SCHEMA.replace("'", "''") + "' AND c.relkind = 'S'")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("the standby is in recovery").isTrue();
                    return rs.getLong(2) == 6;
                }
            });
            AlignmentReport report = aligner(replica).load().verify();
            // a standby sees sequences as WAL-logged, up to 32 values ahead of the primary: more gaps, never fewer
            SequenceReport orphan = find(report, ORPHAN);
            assertThat(orphan.status()).isEqualTo(SequenceStatus.BEHIND);
            assertThat(orphan.sourceNextValue()).isGreaterThanOrEqualTo(43);
            assertThat(find(report, GAPS + "_id_seq").sourceNextValue()).isGreaterThanOrEqualTo(16);
            assertThat(find(report, DOWN).sourceNextValue()).isLessThanOrEqualTo(-4);
            assertThat(report.sourceOnlySequences()).containsExactly(seq(SOURCE_ONLY));
        }
    }

    @Test
    @Order(4)
    void repairKeepsTheSourceGapsNeverLowersAndReportsDifferingDefinitions() {
        AlignmentReport plan = aligner(source).load().plan();
        SequenceReport mismatch = find(plan, MISMATCH);
        assertThat(mismatch.notes()).anySatisfy(n -> assertThat(n)
                .isEqualTo("its definition differs from the source's (source vs here): type bigint vs integer, "
                        + "increment 1 vs 5, maxvalue 1000 vs 500"));
        assertThat(mismatch.sourceNextValue()).isEqualTo(4);

        AlignmentReport repair = aligner(source).load().repair();
        assertThat(find(repair, ORPHAN).action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(find(repair, ORPHAN).previousNextValue()).isEqualTo(1);
        assertThat(find(repair, ORPHAN).nextValue()).isEqualTo(43);
        assertThat(find(repair, AHEAD + "_id_seq").action()).isEqualTo(RepairAction.NONE);
        assertThat(repair.toText()).contains("witness: source decided");

        assertThat(nextval(ORPHAN)).isEqualTo(43);
        assertThat(nextval(GAPS + "_id_seq")).as("ids 11..15 stay unused").isEqualTo(16);
        assertThat(nextval(AHEAD + "_id_seq")).as("not lowered").isEqualTo(1001);
        assertThat(nextval(DOWN)).isEqualTo(-4);
        assertThat(nextval(MISMATCH)).as("next >= 4 with the target's step of 5").isEqualTo(6);

        AlignmentReport again = aligner(source).load().verify();
        assertThat(again.unverified()).as("no column, no sequence of that name on the source: nothing witnesses it")
                .extracting(SequenceReport::name).containsExactly(TARGET_ONLY);
        assertThat(aligner(source).allowUnverified(q(SCHEMA) + "." + q(TARGET_ONLY)).load().verify().isAligned())
                .isTrue();
        assertThat(again.withStatus(SequenceStatus.BEHIND)).isEmpty();
        assertThat(find(again, ORPHAN).status()).isEqualTo(SequenceStatus.ALIGNED);
    }

    @Test
    @Order(5)
    void anUnreachableSourceFailsTheRunNamingTheSource() {
        DataSource nowhere = newServer.dataSource("no_such_database_ü");
        SeqguardException e = catchThrowableOfType(SeqguardException.class,
                () -> aligner(nowhere).load().verify());
        assertThat(e.getMessage()).startsWith("source (the old primary): Could not connect to the database")
                .contains("no_such_database_ü");
        List<String> unchanged = new ArrayList<>();
        unchanged.add(newDb.queryForString("SELECT last_value::text FROM " + seq(TARGET_ONLY)));
        assertThat(unchanged).containsExactly("1");
    }
}
