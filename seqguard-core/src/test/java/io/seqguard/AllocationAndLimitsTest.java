package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The arithmetic on a real server: allocation rules, margins, range limits. */
@PostgresTest
class AllocationAndLimitsTest {

    private final TestDatabase db;

    AllocationAndLimitsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void reset() {
        db.execute("DROP SCHEMA IF EXISTS lim CASCADE", "CREATE SCHEMA lim");
    }

    private SequenceReport only(AlignmentReport report) {
        assertThat(report.sequences()).hasSize(1);
        return report.sequences().get(0);
    }

    private AlignerConfiguration configure() {
        return SequenceAligner.configure().dataSource(db.dataSource()).schemas("lim");
    }

    private void increment50Table() {
        db.execute("CREATE SEQUENCE lim.pooled_seq INCREMENT 50",
                "CREATE TABLE lim.item (id bigint PRIMARY KEY DEFAULT nextval('lim.pooled_seq'))",
                "INSERT INTO lim.item SELECT g FROM generate_series(1, 1234) g");
    }

    @Test
    void plainNeedsNextAboveTheMaximum() {
        increment50Table();
        SequenceReport repaired = only(configure().allocation(AllocationRule.plain()).load().repair());
        assertThat(repaired.requiredNextValue()).isEqualTo(1235L);
        assertThat(repaired.nextValue()).isEqualTo(1284L);
        assertThat(db.queryForLong("SELECT nextval('lim.pooled_seq')")).isEqualTo(1284L);
    }

    @Test
    void pooledNeedsAWholeBlockAboveTheMaximum() {
        increment50Table();
        SequenceReport repaired = only(configure().allocation(AllocationRule.pooled()).load().repair());
        assertThat(repaired.requiredNextValue()).isEqualTo(1284L);
        long hi = db.queryForLong("SELECT nextval('lim.pooled_seq')");
        assertThat(hi - 50 + 1).as("the lowest id of Hibernate's pooled block").isGreaterThan(1234L);
    }

    @Test
    void pooledLoNeedsTheBlockStartAboveTheMaximum() {
        increment50Table();
        SequenceReport repaired = only(configure().allocation(AllocationRule.pooledLo()).load().repair());
        assertThat(repaired.requiredNextValue()).isEqualTo(1235L);
        assertThat(db.queryForLong("SELECT nextval('lim.pooled_seq')")).isGreaterThan(1234L);
    }

    @Test
    void hiloMultipliesByTheBlockSize() {
        db.execute("CREATE SEQUENCE lim.hilo_seq",
                "CREATE TABLE lim.item (id bigint PRIMARY KEY)",
                "INSERT INTO lim.item SELECT g FROM generate_series(1, 1234) g");
        SequenceReport repaired = only(configure().map("lim.hilo_seq", "lim.item", "id")
                .allocation(AllocationRule.hilo(50)).load().repair());
        assertThat(repaired.requiredNextValue()).as("ceil(1234 / 50) + 1").isEqualTo(26L);
        long hi = db.queryForLong("SELECT nextval('lim.hilo_seq')");
        assertThat((hi - 1) * 50 + 1).as("the first id of the hilo block").isGreaterThan(1234L);
    }

    @Test
    void theWindowBelowOneIncrementIsOnlyBehindForPooled() {
        increment50Table();
        db.execute("SELECT setval('lim.pooled_seq', 1250, false)");
        assertThat(only(configure().allocation(AllocationRule.plain()).load().verify()).status())
                .isEqualTo(SequenceStatus.ALIGNED);
        assertThat(only(configure().allocation(AllocationRule.pooledLo()).load().verify()).status())
                .isEqualTo(SequenceStatus.ALIGNED);
        assertThat(only(configure().allocation(AllocationRule.pooled()).load().verify()).status())
                .isEqualTo(SequenceStatus.BEHIND);
    }

    @Test
    void marginSkipsExtraValues() {
        db.execute("CREATE TABLE lim.t (id serial PRIMARY KEY)", "INSERT INTO lim.t VALUES (50)");
        SequenceReport repaired = only(configure().margin(100).load().repair());
        assertThat(repaired.nextValue()).isEqualTo(151L);
        assertThat(db.queryForLong("SELECT nextval('lim.t_id_seq')")).isEqualTo(151L);
    }

    @Test
    void marginNarrowsRatherThanPassTheMaximum() {
        db.execute("CREATE SEQUENCE lim.short_seq MAXVALUE 100",
                "CREATE TABLE lim.t (id int DEFAULT nextval('lim.short_seq'))", "INSERT INTO lim.t VALUES (90)");
        SequenceReport repaired = only(configure().margin(50).load().repair());
        assertThat(repaired.action()).isEqualTo(RepairAction.REPAIRED);
        assertThat(repaired.nextValue()).isEqualTo(100L);
        assertThat(repaired.notes()).anySatisfy(n -> assertThat(n).contains("margin was narrowed"));
    }

    @Test
    void targetBeyondTheMaximumIsExhaustedAndUntouched() {
        db.execute("CREATE SEQUENCE lim.tiny_seq AS integer MAXVALUE 1000",
                "CREATE TABLE lim.t (id int DEFAULT nextval('lim.tiny_seq'))", "INSERT INTO lim.t VALUES (5000)");
        AlignmentReport report = configure().load().repair();
        SequenceReport s = only(report);
        assertThat(s.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(s.action()).isEqualTo(RepairAction.NONE);
        assertThat(s.reason()).contains("5001").contains("1000");
        assertThat(report.isAligned()).isFalse();
        assertThat(db.queryForLong("SELECT nextval('lim.tiny_seq')")).as("untouched").isEqualTo(1L);
        // its own MAXVALUE is the limit, not its type nor the int column: run, the note's statement lets a repair
        assertThat(s.notes()).contains("its own MAXVALUE ends its range before its type and the columns it feeds do: "
                + "ALTER SEQUENCE lim.tiny_seq MAXVALUE 2147483647 gives it room, then a repair can move it")
                .noneMatch(n -> n.contains("wider type"));
        // the saved script, which is read without the report, says so too
        assertThat(configure().load().plan().toSql()).contains("-- lim.tiny_seq (exhausted): the data needs next value "
                + "5001 but the usable range ends at 1000; its own MAXVALUE ends its range before its type and the "
                + "columns it feeds do: ALTER SEQUENCE lim.tiny_seq MAXVALUE 2147483647 gives it room");
        // and the exception's line gives the same way, not a wider type
        assertThatThrownBy(report::requireAligned).hasMessageContaining("lim.tiny_seq: exhausted, the data needs next "
                + "value 5001 but the usable range ends at 1000. Its own MAXVALUE ends its range first: ALTER SEQUENCE "
                + "lim.tiny_seq MAXVALUE 2147483647 gives it room, then a repair can move it.")
                .hasMessageNotContaining("AS bigint");
        db.execute("ALTER SEQUENCE lim.tiny_seq MAXVALUE 2147483647");
        assertThat(only(configure().load().repair()).status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(db.queryForLong("SELECT nextval('lim.tiny_seq')")).isEqualTo(5001L);
    }

    /** Near the end of its own MAXVALUE, not of its type's: the note says how to widen it, not to change the type. */
    @Test
    void aSequenceNearItsOwnMaxvalueIsToldToRaiseIt() {
        db.execute("CREATE SEQUENCE lim.capped_seq AS bigint MAXVALUE 1000",
                "CREATE TABLE lim.t (id int DEFAULT nextval('lim.capped_seq'))", "INSERT INTO lim.t VALUES (950)");
        SequenceReport s = only(configure().load().verify());
        assertThat(s.status()).isEqualTo(SequenceStatus.BEHIND);
        // the int column, not the bigint sequence, bounds how far it can go
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).startsWith("95.0% of its range is used (it ends at 1000): "
                + "raise its MAXVALUE (ALTER SEQUENCE lim.capped_seq MAXVALUE 2147483647) before it runs out"));
    }

    /** A descending sequence's own MINVALUE, likewise; a smallint column beside the int one bounds it. */
    @Test
    void aDescendingSequenceAtItsOwnMinvalueIsToldToLowerIt() {
        db.execute("CREATE SEQUENCE lim.down_capped AS integer INCREMENT BY -1 MINVALUE -100 MAXVALUE -1 START -1",
                "CREATE TABLE lim.t (id int DEFAULT nextval('lim.down_capped'))",
                "CREATE TABLE lim.u (id smallint DEFAULT nextval('lim.down_capped'))",
                "INSERT INTO lim.t VALUES (-150)");
        SequenceReport s = only(configure().load().verify());
        assertThat(s.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(s.notes()).contains("its own MINVALUE ends its range before its type and the columns it feeds do: "
                + "ALTER SEQUENCE lim.down_capped MINVALUE -32768 gives it room, then a repair can move it");
    }

    /** Its own MAXVALUE ends it, but the data is past what its type holds too: raising MAXVALUE is no way. */
    @Test
    void dataBeyondItsTypeIsToldToWidenNotToRaiseMaxvalue() {
        db.execute("CREATE SEQUENCE lim.full_seq AS integer MAXVALUE 1000",
                "CREATE TABLE lim.t (id int DEFAULT nextval('lim.full_seq'))", "INSERT INTO lim.t VALUES (2147483647)");
        AlignmentReport report = configure().load().verify();
        SequenceReport s = only(report);
        assertThat(s.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(s.notes()).noneMatch(n -> n.contains("MAXVALUE 2147483647"));
        assertThatThrownBy(report::requireAligned).hasMessageContaining("Widen the sequence (ALTER SEQUENCE "
                + "lim.full_seq AS bigint MAXVALUE ...) and its column.");
    }

    @Test
    void aNarrowColumnLimitsABigintSequence() {
        db.execute("CREATE SEQUENCE lim.wide_seq",
                "CREATE TABLE lim.t (id smallint DEFAULT nextval('lim.wide_seq'))", "INSERT INTO lim.t VALUES (32767)");
        AlignmentReport report = configure().load().verify();
        SequenceReport s = only(report);
        assertThat(s.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(s.reason()).contains("32767");
        // the column's type is the limit: widening, not a MAXVALUE, gives it room
        assertThat(s.notes()).noneMatch(n -> n.startsWith("its own"));
        assertThatThrownBy(report::requireAligned).hasMessageContaining("Widen the sequence (ALTER SEQUENCE "
                + "lim.wide_seq AS bigint MAXVALUE ...) and its column.");
    }

    @Test
    void sequencesNearTheirLimitAreReported() {
        db.execute("CREATE TABLE lim.t (id serial PRIMARY KEY)", "INSERT INTO lim.t VALUES (2000000000)");
        AlignmentReport report = configure().load().repair();
        SequenceReport s = only(report);
        assertThat(s.status()).isEqualTo(SequenceStatus.ALIGNED);
        assertThat(s.rangeUsed()).isGreaterThan(0.93).isLessThan(0.94);
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("of its range is used"));
        assertThat(report.maxRangeUsed()).isEqualTo(s.rangeUsed());
        assertThat(report.toText()).contains("of its range is used");
    }

    /** Data copied in with explicit ids has used the range already: verify and plan show it before any repair. */
    @Test
    void verifyShowsTheRangeTheDataHasUsedBeforeAnyRepair() {
        db.execute("CREATE TABLE lim.small (id smallserial PRIMARY KEY)", "INSERT INTO lim.small VALUES (32000)");
        for (AlignmentReport report : new AlignmentReport[] {configure().load().verify(), configure().load().plan()}) {
            SequenceReport s = only(report);
            assertThat(s.nextValue()).isEqualTo(1L);
            assertThat(s.rangeUsed()).as(report.operation().toString()).isCloseTo(0.977, within(0.001));
            assertThat(s.notes()).anySatisfy(n -> assertThat(n).startsWith("97.7% of its range is used (it ends at "
                    + "32767)"));
            assertThat(report.toText()).contains("97.7%");
            assertThat(report.maxRangeUsed()).isEqualTo(s.rangeUsed());
        }
    }

    @Test
    void aCyclingSequenceWhoseDataFillsItsRangeIsReportedAsWrappingIntoUsedIds() {
        db.execute("CREATE SEQUENCE lim.cyc AS smallint MAXVALUE 100 CYCLE",
                "CREATE TABLE lim.ring (id smallint DEFAULT nextval('lim.cyc') PRIMARY KEY)",
                "INSERT INTO lim.ring SELECT generate_series(1, 100)");
        SequenceReport s = only(configure().allocation(AllocationRule.plain()).load().verify());
        assertThat(s.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(s.cycle()).isTrue();
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).isEqualTo("it cycles: past its last value nextval() "
                + "starts again at 1, into ids already in use"));
        assertThat(s.rangeUsed()).isEqualTo(1.0);
    }

    @Test
    void aDescendingSequenceIsDescribedAsNeedingAtMost() {
        db.execute("CREATE SEQUENCE lim.down INCREMENT -1 MAXVALUE -1 START -1",
                "CREATE TABLE lim.t (id bigint DEFAULT nextval('lim.down'))", "INSERT INTO lim.t VALUES (-250)");
        AlignmentReport plan = configure().allocation(AllocationRule.plain()).load().plan();
        assertThat(plan.toSql()).contains("-- lim.down: next value -1 -> at most -251");
        assertThat(catchThrowable(plan::requireAligned).getMessage())
                .contains("lim.down: next value -1, but min in use is -250 (needs at most -251)")
                .doesNotContain("at least");
    }

    @Test
    void descendingSequencesMoveDown() {
        db.execute("CREATE SEQUENCE lim.down INCREMENT -10 MAXVALUE -1 START -1",
                "CREATE TABLE lim.t (id bigint DEFAULT nextval('lim.down'))", "INSERT INTO lim.t VALUES (-500)");
        SequenceReport s = only(configure().load().repair());
        assertThat(s.requiredNextValue()).as("pooled: a whole block below the minimum").isEqualTo(-510L);
        assertThat(s.nextValue()).isEqualTo(-510L);
        assertThat(db.queryForLong("SELECT nextval('lim.down')")).isEqualTo(-510L);
    }

    @Test
    void numericColumnsRoundUp() {
        db.execute("CREATE SEQUENCE lim.n_seq", "CREATE TABLE lim.t (id numeric(12,2) DEFAULT nextval('lim.n_seq'))",
                "INSERT INTO lim.t VALUES (10.5)");
        SequenceReport s = only(configure().allocation(AllocationRule.plain()).load().verify());
        assertThat(s.dataBound()).isEqualTo(11L);
        assertThat(s.requiredNextValue()).isEqualTo(12L);
    }
}
