package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a least-privileged role sees: a missing grant is reported as such, never mistaken for "unused". */
@PostgresTest
class PrivilegeTest {

    private static final String ROLE = "seqguard_reader_" + Long.toHexString(System.nanoTime());

    private final TestDatabase db;

    PrivilegeTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    static void createRole(TestDatabase db) {
        db.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'secret'",
                "CREATE SCHEMA priv",
                "GRANT USAGE ON SCHEMA priv TO " + ROLE,
                // no grant at all on the sequence
                "CREATE TABLE priv.hidden (id serial PRIMARY KEY)", "INSERT INTO priv.hidden VALUES (10)",
                "GRANT SELECT ON priv.hidden TO " + ROLE,
                // the sequence is readable, the table is not
                "CREATE TABLE priv.secret (id serial PRIMARY KEY)", "INSERT INTO priv.secret VALUES (10)",
                "GRANT SELECT ON SEQUENCE priv.secret_id_seq TO " + ROLE,
                // read-only on both: verify works, repair lacks UPDATE
                "CREATE TABLE priv.readable (id serial PRIMARY KEY)", "INSERT INTO priv.readable VALUES (10)",
                "GRANT SELECT ON priv.readable TO " + ROLE,
                "GRANT SELECT ON SEQUENCE priv.readable_id_seq TO " + ROLE,
                // SELECT on a partitioned table and on an inheritance parent only, as people grant it: the
                // partitions and children, which hold the highest ids, are read through their parent
                "CREATE TABLE priv.events (id bigserial, day date NOT NULL) PARTITION BY RANGE (day)",
                "CREATE TABLE priv.\"events 2024; x\" PARTITION OF priv.events FOR VALUES FROM ('2024-01-01') "
                        + "TO ('2025-01-01')",
                "CREATE TABLE priv.events_2025 PARTITION OF priv.events FOR VALUES FROM ('2025-01-01') "
                        + "TO ('2026-01-01')",
                "INSERT INTO priv.events (id, day) VALUES (100, '2024-06-01'), (3000, '2025-06-01')",
                "GRANT SELECT ON priv.events TO " + ROLE,
                "GRANT SELECT ON SEQUENCE priv.events_id_seq TO " + ROLE,
                "CREATE TABLE priv.notes (id serial PRIMARY KEY)",
                "CREATE TABLE priv.archived_notes () INHERITS (priv.notes)",
                "INSERT INTO priv.archived_notes VALUES (70)",
                "GRANT SELECT ON priv.notes TO " + ROLE,
                "GRANT SELECT ON SEQUENCE priv.notes_id_seq TO " + ROLE);
    }

    @AfterAll
    static void dropRole(TestDatabase db) {
        db.execute("DROP OWNED BY " + ROLE, "DROP ROLE " + ROLE);
    }

    private SequenceAligner aligner() {
        DataSource reader = db.dataSource(ROLE, "secret");
        return SequenceAligner.configure().dataSource(reader).schemas("priv").load();
    }

    private SequenceReport find(AlignmentReport report, String name) {
        return report.sequences().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** A table a migration added after the GRANTs: every GRANT it needs is named at once, not one per run. */
    @Test
    void everyGrantASequenceLacksIsNamedInOneRun() {
        String schema = "\"grants; x\"";
        db.execute("CREATE SCHEMA " + schema, "GRANT USAGE ON SCHEMA " + schema + " TO " + ROLE,
                "CREATE TABLE " + schema + ".audit_log (id serial PRIMARY KEY)",
                "INSERT INTO " + schema + ".audit_log VALUES (42)");
        try {
            AlignerConfiguration config = SequenceAligner.configure().dataSource(db.dataSource(ROLE, "secret"))
                    .schemas(schema);
            SequenceReport log = find(config.load().verify(), "audit_log_id_seq");
            assertThat(log.status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
            assertThat(log.reason()).contains("GRANT SELECT ON SEQUENCE " + schema + ".audit_log_id_seq TO " + ROLE)
                    // the column named as SQL writes it, as the GRANT beside it
                    .contains("it also feeds " + schema + ".audit_log.id: the connecting role may not read it: GRANT "
                            + "SELECT ON " + schema + ".audit_log TO " + ROLE)
                    .contains("a repair also needs GRANT UPDATE ON SEQUENCE " + schema + ".audit_log_id_seq TO "
                            + ROLE);
            // the GRANTs named, and nothing else, make the repair work
            db.execute("GRANT SELECT, UPDATE ON SEQUENCE " + schema + ".audit_log_id_seq TO " + ROLE,
                    "GRANT SELECT ON " + schema + ".audit_log TO " + ROLE);
            AlignmentReport repaired = config.load().repair();
            assertThat(find(repaired, "audit_log_id_seq").action()).isEqualTo(RepairAction.REPAIRED);
            assertThat(repaired.isAligned()).isTrue();
        } finally {
            db.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /**
     * Creates {@code schema} with a sequence no column uses ({@code "ticket no"}) and a table the role may not read
     * whose sequence it may ({@code orders}).
     *
     * @return the schema
     */
    private String ticketAndUnreadOrders(String schema) {
        db.execute("CREATE SCHEMA " + schema, "GRANT USAGE ON SCHEMA " + schema + " TO " + ROLE,
                "CREATE SEQUENCE " + schema + ".\"ticket no\"",
                "GRANT SELECT ON SEQUENCE " + schema + ".\"ticket no\" TO " + ROLE,
                "CREATE TABLE " + schema + ".orders (id serial PRIMARY KEY)",
                "INSERT INTO " + schema + ".orders VALUES (10)",
                "GRANT SELECT ON SEQUENCE " + schema + ".orders_id_seq TO " + ROLE);
        return schema;
    }

    /**
     * {@code all} is written before anyone knows which tables a run will fail to read: it acknowledges the sequences
     * no read can verify (no column uses it), while one left unverified by a missing GRANT keeps the run incomplete
     * until it is named.
     */
    @Test
    void allAcknowledgesWhatNoReadCanVerifyButNotWhatTheRoleCouldNotRead() {
        String schema = ticketAndUnreadOrders("\"ack all; x\"");
        try {
            AlignerConfiguration config = SequenceAligner.configure().dataSource(db.dataSource(ROLE, "secret"))
                    .schemas(schema);
            AlignmentReport report = config.allowUnverified("all").load().verify();

            SequenceReport ticket = find(report, "ticket no");
            assertThat(ticket.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
            assertThat(ticket.acknowledged()).as("no column uses it: all covers it").isTrue();
            SequenceReport orders = find(report, "orders_id_seq");
            assertThat(orders.status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
            assertThat(orders.acknowledged()).as("a missing GRANT is not what all acknowledged").isFalse();
            assertThat(orders.reason()).contains("GRANT SELECT ON " + schema + ".orders TO " + ROLE)
                    .contains("allowUnverified all does not cover it: all acknowledges only sequences that no column "
                            + "and no witness can verify")
                    .contains("add its name to allowUnverified beside all to acknowledge it anyway (allowUnverified "
                            + "all," + schema + ".orders_id_seq)");
            assertThat(report.acknowledgingAll()).as("a setting replaces the list: all stays in it").first()
                    .isEqualTo("all");
            assertThat(report.verdict()).isEqualTo(Verdict.INCOMPLETE);
            assertThat(report.unverified()).extracting(SequenceReport::name).containsExactly("orders_id_seq");

            assertThat(config.allowUnverified("all", schema + ".orders_id_seq").load().verify().verdict())
                    .as("named, it is acknowledged").isEqualTo(Verdict.ALIGNED);
        } finally {
            db.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /**
     * A refusal's advice offers to acknowledge only what no read can verify: a sequence whose table the role may not
     * read may be behind its data. Named anyway, it is acknowledged, and the run's summary says what it acknowledged.
     */
    @Test
    void aRefusalOffersNoAcknowledgementForASequenceWhoseDataTheRoleCouldNotRead() {
        String schema = ticketAndUnreadOrders("\"ack unread; x\"");
        try {
            DataSource reader = db.dataSource(ROLE, "secret");
            StartupGuardException refusal = (StartupGuardException) catchThrowable(() -> StartupGuard.configure()
                    .dataSource(reader).mode(GuardMode.VERIFY).aligner(a -> a.schemas(schema)).load().run());
            assertThat(refusal.reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
            assertThat(refusal.unverifiedForWantOfReads()).extracting(SequenceReport::name)
                    .containsExactly("orders_id_seq");
            assertThat(refusal.acknowledgeable(false)).containsExactly(schema + ".\"ticket no\"");
            assertThat(refusal.report().acknowledgingAll()).as("what makes the run complete still names both")
                    .containsExactly(schema + ".orders_id_seq", schema + ".\"ticket no\"");
            assertThat(refusal.getMessage()).contains("But the data that would verify " + schema
                    + ".orders_id_seq could not be read, and may be ahead of it: make it readable as its line says "
                    + "rather than acknowledge it");

            AlignmentReport acknowledged = SequenceAligner.configure().dataSource(reader).schemas(schema)
                    .allowUnverified(refusal.report().acknowledgingAll()).load().verify();
            assertThat(acknowledged.verdict()).isEqualTo(Verdict.ALIGNED);
            assertThat(find(acknowledged, "orders_id_seq").dataUnread()).isTrue();
            assertThat(find(acknowledged, "ticket no").dataUnread()).as("no column uses it: no read can").isFalse();
            assertThat(acknowledged.toString()).contains(": aligned (2 sequences acknowledged as not verified); ");
        } finally {
            db.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Test
    void aSequenceWithoutPrivilegeHasItsOwnStatusWithTheGrantToAdd() {
        AlignmentReport report = aligner().verify();
        SequenceReport hidden = find(report, "hidden_id_seq");
        assertThat(hidden.status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(hidden.reason()).contains("GRANT SELECT ON SEQUENCE priv.hidden_id_seq TO " + ROLE);
        assertThat(report.countsByStatus()).containsEntry(SequenceStatus.NO_PRIVILEGE, 2);
        assertThat(report.verdict()).as("drift outranks it").isEqualTo(Verdict.DRIFT);
        assertThat(report.unverified()).extracting(SequenceReport::name)
                .containsExactlyInAnyOrder("hidden_id_seq", "secret_id_seq");
    }

    @Test
    void anUnreadableTableMakesTheSequenceUnverifiedWithTheGrantToAdd() {
        AlignmentReport report = aligner().verify();
        SequenceReport secret = find(report, "secret_id_seq");
        assertThat(secret.status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(secret.reason()).contains("GRANT SELECT ON priv.secret TO " + ROLE);
        assertThat(secret.columns()).singleElement().satisfies(c -> assertThat(c.note()).contains("GRANT SELECT"));
        assertThat(report.toText().split("GRANT SELECT ON priv.secret TO ", -1)).as("the text says it once")
                .hasSize(2);
    }

    @Test
    void partitionsAndChildrenAreReadThroughTheParentTheRoleMayRead() {
        AlignmentReport report = aligner().verify();
        SequenceReport events = find(report, "events_id_seq");
        assertThat(events.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(events.dataBound()).isEqualTo(3000L);
        assertThat(events.columns()).filteredOn(c -> c.table().equals("events 2024; x")).singleElement()
                .satisfies(c -> assertThat(c.note()).contains("covered by the read of parent table priv.events"));
        SequenceReport notes = find(report, "notes_id_seq");
        assertThat(notes.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(notes.dataBound()).isEqualTo(70L);
    }

    @Test
    void verifyNeedsOnlySelect() {
        SequenceReport readable = find(aligner().verify(), "readable_id_seq");
        assertThat(readable.status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(readable.dataBound()).isEqualTo(10L);
    }

    /** A plan says before anyone runs it that this role's repair would fail: the statement needs UPDATE. */
    @Test
    void aPlanNamesTheGrantItsStatementNeeds() {
        SequenceReport readable = find(aligner().plan(), "readable_id_seq");
        assertThat(readable.action()).isEqualTo(RepairAction.PLANNED);
        assertThat(readable.sql()).isNotNull();
        assertThat(readable.notes()).contains("the connecting role lacks UPDATE on the sequence, which setval() needs: "
                + "GRANT UPDATE ON SEQUENCE priv.readable_id_seq TO " + ROLE + ", or run the repair as "
                + "its owner");
        SequenceReport asOwner = SequenceAligner.configure().dataSource(db.dataSource()).schemas("priv").load().plan()
                .sequences().stream().filter(s -> s.name().equals("readable_id_seq")).findFirst().orElseThrow();
        assertThat(asOwner.notes()).noneMatch(n -> n.contains("lacks UPDATE"));
    }

    @Test
    void repairWithoutUpdateFailsNamingTheGrant() {
        AlignmentReport report = aligner().repair();
        SequenceReport readable = find(report, "readable_id_seq");
        assertThat(readable.action()).isEqualTo(RepairAction.FAILED);
        assertThat(readable.reason()).contains("GRANT UPDATE ON SEQUENCE priv.readable_id_seq");
        assertThat(report.isAligned()).isFalse();
        assertThat(catchThrowable(report::requireAligned).getMessage()).contains("priv.readable_id_seq")
                .contains("repair failed");
        assertThat(db.queryForLong("SELECT nextval('priv.readable_id_seq')")).as("untouched").isEqualTo(1L);
    }
}
