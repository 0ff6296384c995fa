package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Row-level security: a {@code max()} over the rows a policy lets the role see could miss the highest id, so such a
 * table makes its sequence unverified, never "aligned" or "empty". The schema is a multi-tenant one as people write
 * it: the application's role sees its tenant's rows, the tables' owner (the migration role) sees all of them.
 */
@PostgresTest
class RowSecurityTest {

    private final TestDatabase db;
    private final String app;
    private final String owner;

    RowSecurityTest(TestDatabase db) {
        this.db = db;
        this.app = db.name() + "_app; x";
        this.owner = db.name() + "_owner";
    }

    @BeforeAll
    static void createSchema(TestDatabase db) {
        String app = quoted(db.name() + "_app; x");
        String owner = quoted(db.name() + "_owner");
        String bypass = quoted(db.name() + "_bypass");
        db.createRole(db.name() + "_app; x", "secret");
        db.createRole(db.name() + "_owner", "secret");
        db.createRole(db.name() + "_bypass", "secret");
        db.execute("ALTER ROLE " + bypass + " BYPASSRLS",
                "CREATE SCHEMA rls",
                "CREATE TABLE rls.\"Tenant Orders; x\" (id bigserial PRIMARY KEY, tenant_id int NOT NULL)",
                "INSERT INTO rls.\"Tenant Orders; x\" (id, tenant_id) VALUES (1, 1), (2, 1), (500, 2)",
                "ALTER TABLE rls.\"Tenant Orders; x\" ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY tenant_isolation ON rls.\"Tenant Orders; x\""
                        + " USING (tenant_id = current_setting('app.tenant_id', true)::int)",
                // the owner is subject to its policies too: it sees nothing
                "CREATE TABLE rls.audit (id serial PRIMARY KEY)",
                "INSERT INTO rls.audit VALUES (70)",
                "ALTER TABLE rls.audit ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE rls.audit FORCE ROW LEVEL SECURITY",
                // policies on a partition are not applied when it is read through its parent
                "CREATE TABLE rls.events (id bigserial, day date NOT NULL) PARTITION BY RANGE (day)",
                "CREATE TABLE rls.events_2025 PARTITION OF rls.events FOR VALUES FROM ('2025-01-01') "
                        + "TO ('2026-01-01')",
                "INSERT INTO rls.events (id, day) VALUES (3000, '2025-06-01')",
                "ALTER TABLE rls.events_2025 ENABLE ROW LEVEL SECURITY",
                // policies on a partitioned table, as multi-tenant schemas have them, filter only the queries that
                // name it: its partitions, read one by one, show every row
                "CREATE TABLE rls.visits (id bigserial, tenant_id int NOT NULL, day date NOT NULL) "
                        + "PARTITION BY RANGE (day)",
                "CREATE TABLE rls.\"visits 2025; x\" PARTITION OF rls.visits FOR VALUES FROM ('2025-01-01') "
                        + "TO ('2026-01-01')",
                "CREATE TABLE rls.visits_2026 PARTITION OF rls.visits FOR VALUES FROM ('2026-01-01') "
                        + "TO ('2027-01-01')",
                "INSERT INTO rls.visits (id, tenant_id, day) VALUES (10, 1, '2025-03-01'), (900, 2, '2026-03-01')",
                "ALTER TABLE rls.visits ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY tenant_isolation ON rls.visits"
                        + " USING (tenant_id = current_setting('app.tenant_id', true)::int)",
                // and one whose partition the role may not read: not every row can be seen
                "CREATE TABLE rls.stays (id bigserial, tenant_id int NOT NULL, day date NOT NULL) "
                        + "PARTITION BY RANGE (day)",
                "CREATE TABLE rls.stays_2025 PARTITION OF rls.stays FOR VALUES FROM ('2025-01-01') "
                        + "TO ('2026-01-01')",
                "CREATE TABLE rls.stays_2026 PARTITION OF rls.stays FOR VALUES FROM ('2026-01-01') "
                        + "TO ('2027-01-01')",
                "INSERT INTO rls.stays (id, tenant_id, day) VALUES (55, 1, '2026-02-01')",
                "ALTER TABLE rls.stays ENABLE ROW LEVEL SECURITY",
                // and one with a partition attached as a table of its own: no default links it to the sequence
                "CREATE TABLE rls.metrics (id bigserial, day date NOT NULL) PARTITION BY RANGE (day)",
                "CREATE TABLE rls.metrics_2025 PARTITION OF rls.metrics FOR VALUES FROM ('2025-01-01') "
                        + "TO ('2026-01-01')",
                "CREATE TABLE rls.\"metrics old\" (id bigint NOT NULL, day date NOT NULL)",
                "INSERT INTO rls.\"metrics old\" VALUES (700, '2024-05-01')",
                "ALTER TABLE rls.metrics ATTACH PARTITION rls.\"metrics old\" FOR VALUES FROM ('2024-01-01') "
                        + "TO ('2025-01-01')",
                "ALTER TABLE rls.metrics ENABLE ROW LEVEL SECURITY",
                "ALTER SCHEMA rls OWNER TO " + owner,
                "ALTER TABLE rls.\"Tenant Orders; x\" OWNER TO " + owner,
                "ALTER TABLE rls.audit OWNER TO " + owner,
                "ALTER TABLE rls.events OWNER TO " + owner,
                "ALTER TABLE rls.events_2025 OWNER TO " + owner,
                "GRANT USAGE ON SCHEMA rls TO " + app + ", " + bypass,
                "GRANT SELECT ON rls.\"Tenant Orders; x\", rls.audit, rls.events, rls.visits, rls.\"visits 2025; x\", "
                        + "rls.visits_2026, rls.stays, rls.stays_2026, rls.metrics, rls.metrics_2025, "
                        + "rls.\"metrics old\" TO " + app + ", " + bypass,
                "GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA rls TO " + app + ", " + bypass);
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private SequenceAligner aligner(String role) {
        return SequenceAligner.configure().dataSource(db.dataSource(role, "secret")).schemas("rls").load();
    }

    private static SequenceReport find(AlignmentReport report, String name) {
        return report.sequences().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aTablePoliciesFilterForTheRoleLeavesItsSequenceUnverifiedWithTheFix() {
        AlignmentReport report = aligner(app).repair();
        SequenceReport orders = find(report, "Tenant Orders; x_id_seq");
        assertThat(orders.status()).as("it sees no row: without the check it was 'empty'")
                .isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(orders.reason()).contains("row-level security hides some of its rows from the connecting role")
                .contains("connect as its owner or as a role with BYPASSRLS (one of its own for seqguard, as a "
                        + "migration role is, not the application's)").doesNotContain("ALTER ROLE");
        assertThat(report.unverified()).extracting(SequenceReport::name).contains("Tenant Orders; x_id_seq");
        assertThat(report.isAligned()).isFalse();
        assertThat(db.queryForLong("SELECT last_value FROM rls.\"Tenant Orders; x_id_seq\"")).as("not moved")
                .isEqualTo(1L);
    }

    @Test
    void theOwnerAndABypassRoleSeeEveryRow() {
        assertThat(find(aligner(owner).verify(), "Tenant Orders; x_id_seq").dataBound()).isEqualTo(500L);
        AlignmentReport bypassed = aligner(db.name() + "_bypass").verify();
        assertThat(find(bypassed, "Tenant Orders; x_id_seq").status()).isEqualTo(SequenceStatus.BEHIND);
        assertThat(find(bypassed, "Tenant Orders; x_id_seq").dataBound()).isEqualTo(500L);
        assertThat(find(bypassed, "audit_id_seq").dataBound()).isEqualTo(70L);
    }

    /** Its owner cannot see every row either: the application's role is told so at once, as the owner is. */
    @Test
    void aTableThatForcesItsPoliciesOnItsOwnerNamesNoForce() {
        for (String role : List.of(owner, app)) {
            SequenceReport audit = find(aligner(role).verify(), "audit_id_seq");
            assertThat(audit.status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
            assertThat(audit.reason()).as(role).contains("(it forces row-level security on its owner too): connect "
                    + "as a role with BYPASSRLS (one of its own for seqguard, as a migration role is, not the "
                    + "application's), or run ALTER TABLE rls.audit NO FORCE ROW LEVEL SECURITY and connect as its "
                    + "owner");
        }
    }

    @Test
    void aPartitionsPoliciesDoNotFilterTheReadThroughItsParent() {
        SequenceReport events = find(aligner(app).verify(), "events_id_seq");
        assertThat(events.status()).as("verified (another test's repair may have moved it)")
                .isIn(SequenceStatus.BEHIND, SequenceStatus.ALIGNED);
        assertThat(events.dataBound()).isEqualTo(3000L);
    }

    @Test
    void aPartitionedTablesPoliciesDoNotHideTheRowsOfPartitionsReadOneByOne() {
        AlignmentReport report = aligner(app).verify();
        SequenceReport visits = find(report, "visits_id_seq");
        assertThat(visits.status()).isIn(SequenceStatus.BEHIND, SequenceStatus.ALIGNED);
        assertThat(visits.dataBound()).isEqualTo(900L);
        assertThat(visits.columns()).filteredOn(c -> c.table().equals("visits")).singleElement()
                .satisfies(c -> assertThat(c.note()).contains("row-level security")
                        .contains("a partitioned table holds no rows of its own: each of its partitions is read"));
        SequenceReport metrics = find(report, "metrics_id_seq");
        assertThat(metrics.status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(metrics.reason()).contains("its partitions cannot be read instead: rls.\"metrics old\" has no "
                + "default naming the sequence");
        SequenceReport stays = find(report, "stays_id_seq");
        assertThat(stays.status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(stays.reason()).contains("rls.stays.id: row-level security")
                .contains("rls.stays_2025.id: the connecting role may not read it");
    }

    /**
     * An excluded partition's rows count whenever its parent is compared, as they do in the parent's own read: the
     * verdict must not depend on whether the role reads the parent whole (the owner) or through its partitions.
     */
    @Test
    void anExcludedPartitionStillCountsWhenItsParentIsReadThroughItsPartitions() {
        SequenceReport visits = find(SequenceAligner.configure().dataSource(db.dataSource(app, "secret"))
                .schemas("rls").excludeTables("rls.visits_2026").load().verify(), "visits_id_seq");
        assertThat(visits.dataBound()).as("its 900 counts, as in the owner's read of the parent").isEqualTo(900L);
        assertThat(visits.columns()).filteredOn(c -> c.table().equals("visits_2026")).singleElement()
                .satisfies(c -> assertThat(c.note()).contains("but its rows still count"));
        SequenceReport stays = find(SequenceAligner.configure().dataSource(db.dataSource(app, "secret"))
                .schemas("rls").excludeTables("rls.stays_2025").load().verify(), "stays_id_seq");
        assertThat(stays.status()).as("the partition it may not read still counts").isEqualTo(
                SequenceStatus.NO_PRIVILEGE);
    }

    @Test
    void policiesEnabledAfterTheCatalogWasReadFailTheReadInsteadOfFilteringIt() {
        db.execute("CREATE SCHEMA late",
                "CREATE TABLE late.\"Items; x\" (id bigserial PRIMARY KEY)",
                "INSERT INTO late.\"Items; x\" VALUES (40)",
                "GRANT USAGE ON SCHEMA late TO " + quoted(app),
                "GRANT SELECT ON late.\"Items; x\" TO " + quoted(app),
                "GRANT SELECT ON ALL SEQUENCES IN SCHEMA late TO " + quoted(app));
        AtomicBoolean enabled = new AtomicBoolean();
        AlignmentReport report = SequenceAligner.configure().dataSource(db.dataSource(app, "secret")).schemas("late")
                .progressListener((phase, done, total) -> {
                    // between the catalog's read and the data's: a migration enables row-level security
                    if (phase.equals(ProgressListener.READING_DATA) && enabled.compareAndSet(false, true)) {
                        db.execute("ALTER TABLE late.\"Items; x\" ENABLE ROW LEVEL SECURITY");
                    }
                }).load().verify();
        assertThat(enabled).isTrue();
        SequenceReport items = find(report, "Items; x_id_seq");
        assertThat(items.status()).as("a filtered read saw no row: 'empty'").isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(items.reason()).contains("row-level security").contains("late.\"Items; x\"")
                .contains("connect as the table's owner or a role with BYPASSRLS");
    }
}
