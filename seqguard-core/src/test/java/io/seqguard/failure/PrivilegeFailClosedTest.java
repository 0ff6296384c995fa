package io.seqguard.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.seqguard.AlignmentReport;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.IncompleteAction;
import io.seqguard.IncompleteVerificationException;
import io.seqguard.RepairAction;
import io.seqguard.SequenceAligner;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.Verdict;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A role that may not read everything never gets "aligned": what it could not read is named, with the GRANT that
 * fixes it, and the run is incomplete until the user grants or acknowledges it. The schemas are the ones operators
 * hand an application role: USAGE on some schemas, SELECT on some tables, nothing on the sequences.
 */
@PostgresTest
class PrivilegeFailClosedTest {

    private static final String APP = "app \"ü\"; DROP TABLE x";
    private static final String BILLING = "billing";

    private final TestDatabase db;
    private final String role;

    PrivilegeFailClosedTest(TestDatabase db) {
        this.db = db;
        this.role = db.name() + "_app";
    }

    private static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @BeforeAll
    static void createRole(TestDatabase db) {
        db.createRole(db.name() + "_app", "secret");
    }

    @BeforeEach
    void schema() {
        db.execute("DROP SCHEMA IF EXISTS " + q(APP) + " CASCADE", "DROP SCHEMA IF EXISTS billing CASCADE",
                "CREATE SCHEMA " + q(APP), "CREATE SCHEMA billing",
                "CREATE TABLE " + q(APP) + ".\"Orders; x\" (id serial PRIMARY KEY, note text)",
                "INSERT INTO " + q(APP) + ".\"Orders; x\" (id) SELECT generate_series(1, 40)",
                "CREATE TABLE " + q(APP) + ".lines (id bigserial PRIMARY KEY)",
                "INSERT INTO " + q(APP) + ".lines VALUES (7)",
                // billing: the role may not even look into the schema
                "CREATE SEQUENCE billing.shared_seq",
                "CREATE TABLE billing.invoice (id bigint DEFAULT nextval('billing.shared_seq') PRIMARY KEY)",
                "INSERT INTO billing.invoice SELECT generate_series(1, 1200)",
                // one sequence, two tables: the readable one is low, the unreadable one holds the highest id
                "CREATE SEQUENCE " + q(APP) + ".credit_seq",
                "CREATE TABLE " + q(APP) + ".credit (id bigint DEFAULT nextval('" + q(APP).replace("'", "''")
                        + ".credit_seq') PRIMARY KEY)",
                "INSERT INTO " + q(APP) + ".credit VALUES (5)",
                "CREATE TABLE billing.credit_archive (id bigint DEFAULT nextval('" + q(APP).replace("'", "''")
                        + ".credit_seq') PRIMARY KEY)",
                "INSERT INTO billing.credit_archive VALUES (900)",
                "GRANT USAGE ON SCHEMA " + q(APP) + " TO " + role,
                "GRANT SELECT ON ALL TABLES IN SCHEMA " + q(APP) + " TO " + role);
    }

    private DataSource asRole() {
        return db.dataSource(role, "secret");
    }

    private SequenceAligner aligner() {
        return SequenceAligner.configure().dataSource(asRole()).schemas(q(APP), BILLING).load();
    }

    private static Map<String, SequenceReport> byName(AlignmentReport report) {
        return report.sequences().stream().collect(java.util.stream.Collectors.toMap(SequenceReport::name, s -> s));
    }

    @Test
    void aRoleWithNoGrantsOnTheSequencesIsIncompleteNeverAligned() {
        AlignmentReport report = aligner().verify();

        assertThat(report.sequences()).hasSize(4);
        assertThat(report.sequences()).allSatisfy(s -> assertThat(s.status()).as(s.displayName())
                .isEqualTo(SequenceStatus.NO_PRIVILEGE));
        assertThat(report.verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(report.isAligned()).isFalse();
        assertThat(report.countsByStatus()).containsEntry(SequenceStatus.NO_PRIVILEGE, 4)
                .containsEntry(SequenceStatus.SKIPPED, 0);
        assertThat(report.toJson()).contains("\"verdict\": \"incomplete\"").contains("\"aligned\": false")
                .contains("\"no_privilege\": 4");
        IncompleteVerificationException e = catchThrowableOfType(IncompleteVerificationException.class,
                report::requireAligned);
        assertThat(e.getMessage())
                .contains("4 sequence(s) in database " + db.name() + " could not be verified")
                .contains(q(APP) + ".\"Orders; x_id_seq\" (no privilege): the connecting role may not read it: "
                        + "GRANT SELECT ON SEQUENCE " + q(APP) + ".\"Orders; x_id_seq\" TO " + role)
                .contains("billing.shared_seq (no privilege): the connecting role may not read it: "
                        + "GRANT USAGE ON SCHEMA \"billing\" TO " + role)
                .contains("allowUnverified").contains("excludeSequences");
    }

    @Test
    void aRepairByTheRoleMovesWhatItCanAndNamesWhatItCouldNotRead() {
        db.execute("GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + q(APP) + " TO " + role);

        AlignmentReport repair = aligner().repair();

        Map<String, SequenceReport> seq = byName(repair);
        assertThat(seq.get("Orders; x_id_seq").action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(seq.get("lines_id_seq").action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(seq.get("shared_seq").status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(seq.get("shared_seq").action()).isEqualTo(RepairAction.NONE);
        // the readable table alone says 5; the one the role cannot read holds 900: judging by the first is a guess
        SequenceReport credit = seq.get("credit_seq");
        assertThat(credit.status()).isEqualTo(SequenceStatus.NO_PRIVILEGE);
        assertThat(credit.action()).isEqualTo(RepairAction.NONE);
        assertThat(credit.reason()).contains("billing.credit_archive.id")
                .contains("GRANT USAGE ON SCHEMA \"billing\" TO " + role
                        + "; GRANT SELECT ON billing.credit_archive TO " + role);
        assertThat(repair.verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(repair.unverified()).extracting(SequenceReport::name)
                .containsExactlyInAnyOrder("credit_seq", "shared_seq");
        assertThat(db.queryForLong("SELECT last_value FROM billing.shared_seq")).as("untouched").isEqualTo(1);
        assertThat(db.queryForLong("SELECT last_value FROM " + q(APP) + ".credit_seq")).as("untouched")
                .isEqualTo(1);
    }

    @Test
    void theGuardRefusesAnIncompleteRunByDefaultAndWarnsWhenToldTo() {
        db.execute("GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + q(APP) + " TO " + role);
        GuardConfiguration guard = StartupGuard.configure().dataSource(asRole()).aligner(a -> a.schemas(q(APP),
                BILLING));

        StartupGuardException refused = catchThrowableOfType(StartupGuardException.class,
                () -> guard.load().run());
        assertThat(refused.reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);
        assertThat(refused.report().unverified()).hasSize(2);
        assertThat(refused.getMessage())
                .startsWith("seqguard startup guard (mode repair) refuses start-up: the run is incomplete. It moved 2 "
                        + "sequence(s) forward first.")
                .contains("billing.shared_seq (no privilege)")
                .contains(q(APP) + ".credit_seq (no privilege)")
                .contains("acknowledge them by name (allowUnverified), or set onIncomplete to warn");

        // the same in verify mode: nothing behind any more, but still not everything read
        StartupGuardException verify = catchThrowableOfType(StartupGuardException.class,
                () -> guard.mode("verify").load().run());
        assertThat(verify.reason()).isEqualTo(StartupGuardException.Reason.INCOMPLETE);

        GuardResult warned = guard.mode("repair").onIncomplete(IncompleteAction.WARN).load().run();
        assertThat(warned.outcome()).isEqualTo(GuardOutcome.INCOMPLETE_TOLERATED);
        assertThat(warned.report().verdict()).isEqualTo(Verdict.INCOMPLETE);
        assertThat(warned.notes()).anySatisfy(n -> assertThat(n).contains("2 sequence(s) could not be verified"));
        Map<String, Object> details = warned.toDetails();
        assertThat(details).containsEntry("verdict", "incomplete")
                .containsEntry("unverified", List.of(q(APP) + ".credit_seq", "billing.shared_seq"))
                .doesNotContainKey("acknowledged");

        // health names a sequence it did not verify, acknowledged or not
        StartupGuardException half = catchThrowableOfType(StartupGuardException.class, () -> guard
                .aligner(a -> a.allowUnverified(q(APP) + ".credit_seq")).onIncomplete(IncompleteAction.FAIL).load()
                .run());
        assertThat(half.toDetails()).containsEntry("unverified", List.of("billing.shared_seq"))
                .containsEntry("acknowledged", List.of(q(APP) + ".credit_seq"))
                .containsEntry("dataUnread", List.of(q(APP) + ".credit_seq", "billing.shared_seq"));
        assertThat(half.unverifiedForWantOfReads()).extracting(SequenceReport::qualifiedName)
                .containsExactly("billing.shared_seq");

        GuardResult acknowledged = guard.aligner(a -> a.allowUnverified(q(APP) + ".credit_seq", "billing.shared_seq"))
                .onIncomplete(IncompleteAction.FAIL).load().run();
        assertThat(acknowledged.outcome()).isEqualTo(GuardOutcome.ALIGNED);
        assertThat(acknowledged.report().verdict()).isEqualTo(Verdict.ALIGNED);
        assertThat(acknowledged.report().sequences()).filteredOn(SequenceReport::acknowledged).hasSize(2);
        // acknowledged although the role could not read them: the run passes, and health still says so
        assertThat(acknowledged.toDetails()).containsEntry("verdict", "aligned").doesNotContainKey("unverified")
                .containsEntry("acknowledged", List.of(q(APP) + ".credit_seq", "billing.shared_seq"))
                .containsEntry("dataUnread", List.of(q(APP) + ".credit_seq", "billing.shared_seq"));
        assertThat(acknowledged.report().unverifiedForWantOfReads()).isEmpty();
        assertThat(acknowledged.report().toJson()).contains("\"dataUnread\": true");
    }

    @Test
    void grantingWhatTheMessageNamesMakesTheRunComplete() {
        db.execute("GRANT SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + q(APP) + " TO " + role,
                "GRANT USAGE ON SCHEMA billing TO " + role, "GRANT SELECT ON ALL TABLES IN SCHEMA billing TO " + role,
                "GRANT SELECT, UPDATE ON SEQUENCE billing.shared_seq TO " + role);

        AlignmentReport repair = aligner().repair();

        assertThat(repair.verdict()).isEqualTo(Verdict.ALIGNED);
        assertThat(byName(repair).get("credit_seq").nextValue()).isEqualTo(901L);
        assertThat(byName(repair).get("shared_seq").nextValue()).isEqualTo(1201L);
        assertThatCode(() -> db.execute("INSERT INTO billing.invoice DEFAULT VALUES",
                "INSERT INTO " + q(APP) + ".credit DEFAULT VALUES")).doesNotThrowAnyException();
    }
}
