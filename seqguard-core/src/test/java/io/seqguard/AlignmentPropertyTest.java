package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.seqguard.GeneratedSchema.Bystanders;
import io.seqguard.GeneratedSchema.Expected;
import io.seqguard.GeneratedSchema.Kind;
import io.seqguard.GeneratedSchema.Point;
import io.seqguard.GeneratedSchema.Scenario;
import io.seqguard.GeneratedSchema.State;
import io.seqguard.GeneratedSchema.StateMode;
import io.seqguard.GeneratedSchema.TableSpec;
import io.seqguard.test.TestDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties of verify, plan and repair on random schemas on a real PostgreSQL: 1 to 6 tables with hostile names,
 * serial, bigserial, identity and {@code DEFAULT nextval} columns (some sequences shared by two tables), ascending and
 * descending sequences with increments of 1, 5 and 50, bounded and full ranges, narrower column types and
 * {@code numeric} columns holding fractions, random data and random sequence states (fresh, called, set ahead, behind,
 * {@code is_called = false}, at the end of the range), bystander sequences seqguard cannot verify, under every
 * allocation rule with random margins, with and without {@code blockWritersDuringRepair}. Each try builds its own
 * schema and drops it. The expected verdicts come from {@link GeneratedSchema#expect}, written from the design notes.
 */
class AlignmentPropertyTest {

    private static TestDatabase db;
    private static String reader;

    @BeforeContainer
    static void createDatabase() {
        db = TestDatabase.create("AlignmentPropertyTest");
        reader = db.name() + "_reader";
        db.createRole(reader, "secret");
    }

    @AfterContainer
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- generators

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<AllocationRule> rules = Arbitraries.of(AllocationRule.plain(), AllocationRule.pooled(),
                AllocationRule.pooledLo(), AllocationRule.hilo(10), AllocationRule.hilo(50), AllocationRule.pooled(20),
                AllocationRule.pooledLo(20));
        return scenarios(rules);
    }

    /** Rules under which every value {@code nextval()} hands out is an id (hilo multiplies them). */
    @Provide
    Arbitrary<Scenario> idScenarios() {
        return scenarios(Arbitraries.of(AllocationRule.plain(), AllocationRule.plain(), AllocationRule.pooled(),
                AllocationRule.pooledLo()));
    }

    private Arbitrary<Scenario> scenarios(Arbitrary<AllocationRule> rules) {
        Arbitrary<Bystanders> bystanders = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 50)).as(Bystanders::new);
        return Combinators.combine(Arbitraries.integers().between(0, GeneratedNames.HOSTILE.size() - 1),
                table().list().ofMinSize(1).ofMaxSize(6).withSizeDistribution(RandomDistribution.uniform())
                        .withoutEdgeCases(), bystanders, rules,
                Arbitraries.of(0L, 0L, 3L, 100L, 1000L), Arbitraries.integers().between(1, 3),
                Arbitraries.of(false, false, true)).as(Scenario::new);
    }

    private Arbitrary<TableSpec> table() {
        Arbitrary<Point> point = Combinators.combine(Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true)),
                Arbitraries.integers().between(0, 300), Arbitraries.of(false, true)).as(Point::new);
        Arbitrary<List<Point>> data = Arbitraries.<List<Point>>frequencyOf(Tuple.of(1, Arbitraries.just(List.of())),
                Tuple.of(3, point.list().ofMinSize(1).ofMaxSize(5))).withoutEdgeCases();
        return Builders.withBuilder(() -> new TableBuilder())
                .use(Arbitraries.frequencyOf(
                        Tuple.of(2, Arbitraries.just(Kind.SERIAL)),
                        Tuple.of(2, Arbitraries.just(Kind.BIGSERIAL)),
                        Tuple.of(2, Arbitraries.just(Kind.IDENTITY_BY_DEFAULT)),
                        Tuple.of(1, Arbitraries.just(Kind.IDENTITY_ALWAYS)),
                        Tuple.of(2, Arbitraries.just(Kind.DEFAULT_NEXTVAL)),
                        Tuple.of(2, Arbitraries.just(Kind.SHARED))))
                .inSetter((b, v) -> b.kind = v)
                .use(Arbitraries.of(1, 5, 50)).inSetter((b, v) -> b.step = v)
                .use(Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)))
                .inSetter((b, v) -> b.descending = v)
                .use(Arbitraries.of(true, false)).inSetter((b, v) -> b.bounded = v)
                .use(Arbitraries.of("smallint", "integer", "bigint", "bigint", "numeric"))
                .inSetter((b, v) -> b.columnType = v)
                .use(Arbitraries.of(true, false)).inSetter((b, v) -> b.bigintSequence = v)
                .use(Arbitraries.of(true, false)).inSetter((b, v) -> b.primaryKey = v)
                .use(data).inSetter((b, v) -> b.data = v)
                .use(Arbitraries.frequency(Tuple.of(1, StateMode.FRESH), Tuple.of(1, StateMode.NEXTVAL),
                        Tuple.of(3, StateMode.CALLED), Tuple.of(2, StateMode.UNCALLED),
                        Tuple.of(2, StateMode.FAR_AHEAD), Tuple.of(1, StateMode.AT_END)))
                .inSetter((b, v) -> b.state = v)
                .use(Arbitraries.integers().between(0, 120)).inSetter((b, v) -> b.stateOffset = v)
                .use(Arbitraries.integers().between(0, 5)).inSetter((b, v) -> b.shareWith = v)
                .use(Arbitraries.integers().between(0, GeneratedNames.HOSTILE.size() - 1))
                .inSetter((b, v) -> b.tableName = v)
                .use(Arbitraries.integers().between(0, GeneratedNames.HOSTILE.size() - 1))
                .inSetter((b, v) -> b.columnName = v)
                .build(TableBuilder::build);
    }

    /** Mutable collector for {@link Builders}; the record has too many components for {@link Combinators}. */
    private static final class TableBuilder {
        Kind kind;
        int step;
        boolean descending;
        boolean bounded;
        String columnType;
        boolean bigintSequence;
        boolean primaryKey;
        List<Point> data;
        StateMode state;
        int stateOffset;
        int shareWith;
        int tableName;
        int columnName;

        TableSpec build() {
            return new TableSpec(kind, step, descending, bounded, columnType, bigintSequence, primaryKey, data, state,
                    stateOffset, shareWith, tableName, columnName);
        }
    }

    // ---------------------------------------------------------------------------------------------- properties

    /** (a) A repair never lowers the next value of any sequence, and leaves every sequence it did not repair as is. */
    @Property(tries = 40)
    void repairNeverLowersAnyNextValue(@ForAll("scenarios") Scenario scenario) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            GeneratedSchema schema = GeneratedSchema.build(c, scenario);
            try {
                Map<List<String>, State> before = schema.snapshotSchema(c);
                AlignmentReport repair = aligner(schema, scenario).repair();
                Map<List<String>, State> after = schema.snapshotSchema(c);

                assertThat(after.keySet()).isEqualTo(before.keySet());
                Set<String> repaired = names(repair, RepairAction.REPAIRED);
                for (Map.Entry<List<String>, State> e : before.entrySet()) {
                    List<String> key = e.getKey();
                    State was = e.getValue();
                    State now = after.get(key);
                    GeneratedSchema.Sequence s = schema.sequence(key.get(1));
                    if (s != null) {
                        BigInteger from = was.next(s.increment);
                        BigInteger to = now.next(s.increment);
                        assertThat(s.descending() ? to.compareTo(from) <= 0 : to.compareTo(from) >= 0)
                                .as("next value of %s moved from %s to %s", key, from, to).isTrue();
                    }
                    if (!repaired.contains(key.get(1))) {
                        assertThat(now).as("state of %s, which repair did not move", key).isEqualTo(was);
                    }
                }
                for (SequenceReport r : repair.withAction(RepairAction.REPAIRED)) {
                    GeneratedSchema.Sequence s = schema.sequence(r.name());
                    assertThat(r.previousNextValue()).as("previousNextValue of %s", r.name())
                            .isEqualTo(schema.state(before, r.name()).next(s.increment).longValueExact());
                    assertThat(r.nextValue()).as("nextValue of %s", r.name())
                            .isEqualTo(schema.state(after, r.name()).next(s.increment).longValueExact());
                }
                for (String bystander : schema.bystanders) {
                    assertThat(report(repair, bystander).status()).as(bystander)
                            .isEqualTo(SequenceStatus.NOT_VERIFIABLE);
                }
            } finally {
                schema.drop(c);
            }
        }
    }

    /**
     * (b) After a repair, verify finds nothing behind, and every sequence that has data is aligned or exhausted. The
     * verdicts before the repair and the values it moves to are checked against the design's arithmetic.
     */
    @Property(tries = 40)
    void afterRepairNothingIsBehind(@ForAll("scenarios") Scenario scenario) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            GeneratedSchema schema = GeneratedSchema.build(c, scenario);
            try {
                SequenceAligner aligner = aligner(schema, scenario);
                Map<List<String>, State> before = schema.snapshotSchema(c);
                AlignmentReport verify = aligner.verify();
                assertThat(verify.sequences()).extracting(SequenceReport::name).containsExactlyInAnyOrderElementsOf(
                        before.keySet().stream().map(k -> k.get(1)).collect(Collectors.toList()));
                for (GeneratedSchema.Sequence s : schema.sequences) {
                    BigInteger next = schema.state(before, s.name).next(s.increment);
                    Expected expected = GeneratedSchema.expect(s, next, scenario.rule(), scenario.margin());
                    SequenceReport r = report(verify, s.name);
                    assertThat(r.status()).as("status of %s (next %s, data bound %s, expected required %s)", s.name,
                            next, s.dataBound(), expected.requiredNext()).isEqualTo(expected.status());
                    assertThat(r.dataBound()).as("dataBound of %s (data bound %s)", s.name, s.dataBound())
                            .isEqualTo(s.wholeDataBound() == null ? null : s.wholeDataBound().longValueExact());
                    assertThat(r.nextValue()).as("nextValue of %s", s.name).isEqualTo(longOrNull(next));
                    assertThat(r.requiredNextValue()).as("requiredNextValue of %s", s.name)
                            .isEqualTo(longOrNull(expected.requiredNext()));
                    assertThat(r.action()).isEqualTo(RepairAction.NONE);
                }

                for (SequenceReport r : verify.sequences()) {
                    GeneratedSchema.Sequence s = schema.sequence(r.name());
                    Statistics.label("verdicts").collect(r.status(), s == null ? "bystander"
                            : (s.descending() ? "descending" : "ascending") + ", " + s.tables.size() + " table(s)");
                }

                AlignmentReport repair = aligner.repair();
                Map<List<String>, State> after = schema.snapshotSchema(c);
                for (GeneratedSchema.Sequence s : schema.sequences) {
                    BigInteger next = schema.state(before, s.name).next(s.increment);
                    Expected expected = GeneratedSchema.expect(s, next, scenario.rule(), scenario.margin());
                    SequenceReport r = report(repair, s.name);
                    if (expected.status() == SequenceStatus.BEHIND) {
                        assertThat(r.action()).as("action on %s", s.name).isEqualTo(RepairAction.REPAIRED);
                        assertThat(schema.state(after, s.name)).as("state of %s after repair", s.name)
                                .isEqualTo(new State(expected.targetLast().longValueExact(), true));
                        assertThat(r.nextValue()).as("nextValue of %s after repair", s.name)
                                .isEqualTo(longOrNull(expected.nextAfterRepair(s.increment)));
                    } else {
                        assertThat(r.action()).as("action on %s", s.name).isEqualTo(RepairAction.NONE);
                    }
                }

                AlignmentReport again = aligner.verify();
                assertThat(again.withStatus(SequenceStatus.BEHIND)).as("behind after repair").isEmpty();
                for (GeneratedSchema.Sequence s : schema.sequences) {
                    SequenceReport r = report(again, s.name);
                    if (s.dataBound() != null) {
                        assertThat(r.status()).as("status of %s after repair", s.name)
                                .isIn(SequenceStatus.ALIGNED, SequenceStatus.EXHAUSTED);
                    } else {
                        assertThat(r.status()).as("status of %s", s.name).isEqualTo(SequenceStatus.EMPTY);
                    }
                }
                // the oracle's verdict: exhausted sequences are drift, the bystanders nothing can verify keep the
                // run incomplete, and only a run without either is aligned
                Verdict expected = !again.withStatus(SequenceStatus.EXHAUSTED).isEmpty() ? Verdict.DRIFT
                        : !schema.bystanders.isEmpty() ? Verdict.INCOMPLETE : Verdict.ALIGNED;
                assertThat(again.verdict()).as("verdict after repair").isEqualTo(expected);
                assertThat(again.isAligned()).isEqualTo(expected == Verdict.ALIGNED);
            } finally {
                schema.drop(c);
            }
        }
    }

    /**
     * (g) What the connecting role may not read is never called safe: with SELECT withheld from random tables and
     * sequences, every sequence whose state or any of whose tables is hidden is reported as not verified (never
     * aligned, empty or behind), the run is never {@link Verdict#ALIGNED}, and the sequences the role can read are
     * judged exactly as the owner judges them.
     */
    @Property(tries = 30)
    void whatTheRoleCannotReadIsNeverCalledAligned(@ForAll("scenarios") Scenario scenario,
            @ForAll @Size(6) List<Boolean> hideTable, @ForAll @Size(6) List<Boolean> hideSequence)
            throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            GeneratedSchema schema = GeneratedSchema.build(c, scenario);
            try {
                String s = GeneratedNames.ident(schema.schema);
                List<String> grants = new ArrayList<>(List.of("GRANT USAGE ON SCHEMA " + s + " TO " + reader,
                        "GRANT SELECT ON ALL TABLES IN SCHEMA " + s + " TO " + reader,
                        "GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + s + " TO " + reader));
                Set<String> faulted = new HashSet<>();
                for (int i = 0; i < schema.tables.size(); i++) {
                    GeneratedSchema.Table t = schema.tables.get(i);
                    if (hideTable.get(i)) {
                        grants.add("REVOKE SELECT ON " + t.qualifiedIn(schema.schema) + " FROM " + reader);
                        faulted.add(t.sequence.name);
                    }
                }
                for (int i = 0; i < schema.sequences.size(); i++) {
                    GeneratedSchema.Sequence q = schema.sequences.get(i);
                    if (hideSequence.get(i)) {
                        grants.add("REVOKE SELECT ON SEQUENCE " + GeneratedNames.qualified(schema.schema, q.name)
                                + " FROM " + reader);
                        faulted.add(q.name);
                    }
                }
                try (Statement st = c.createStatement()) {
                    for (String grant : grants) {
                        st.execute(grant);
                    }
                }
                AlignmentReport asOwner = aligner(schema, scenario).verify();
                AlignmentReport asReader = SequenceAligner.configure().dataSource(db.dataSource(reader, "secret"))
                        .schemas(s).allocation(scenario.rule()).margin(scenario.margin()).jobs(scenario.jobs())
                        .load().verify();
                for (GeneratedSchema.Sequence q : schema.sequences) {
                    SequenceReport r = report(asReader, q.name);
                    Statistics.label("hidden").collect(faulted.contains(q.name));
                    if (faulted.contains(q.name)) {
                        assertThat(r.status()).as("status of %s, which the role cannot read whole", q.name)
                                .isEqualTo(SequenceStatus.NO_PRIVILEGE);
                        assertThat(r.reason()).as("reason for %s", q.name).contains("GRANT SELECT ON");
                    } else {
                        assertThat(r.status()).as("status of %s, which the role can read", q.name)
                                .isEqualTo(report(asOwner, q.name).status());
                    }
                }
                if (!faulted.isEmpty()) {
                    assertThat(asReader.verdict()).as("verdict with %s hidden", faulted).isNotEqualTo(Verdict.ALIGNED);
                    assertThat(asReader.isAligned()).isFalse();
                }
            } finally {
                schema.drop(c);
            }
        }
    }

    /**
     * (b) for one case, kept as an example so that it fails every run rather than when the generator hits it: a
     * descending sequence over a {@code numeric} column whose lowest value is -10.5. The sequence must pass -11 (its
     * verdict does), so the whole-number {@code dataBound} is -11, as 10.5 in an ascending one reports 11.
     */
    @Example
    void descendingSequenceOverANumericColumnReportsTheWholeNumberItMustPass() throws SQLException {
        TableSpec table = new TableSpec(Kind.DEFAULT_NEXTVAL, 1, true, true, "numeric", true, false,
                List.of(new Point(false, 9, true)), StateMode.FRESH, 0, 0, 0, 0);
        afterRepairNothingIsBehind(new Scenario(0, List.of(table), new Bystanders(false, false, 0),
                AllocationRule.plain(), 0, 1, false));
    }

    /** (c) A second repair repairs nothing and changes no sequence. */
    @Property(tries = 30)
    void repairIsIdempotent(@ForAll("scenarios") Scenario scenario) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            GeneratedSchema schema = GeneratedSchema.build(c, scenario);
            try {
                SequenceAligner aligner = aligner(schema, scenario);
                AlignmentReport first = aligner.repair();
                assertThat(first.withAction(RepairAction.FAILED)).isEmpty();
                Map<List<String>, State> afterFirst = schema.snapshotSchema(c);
                AlignmentReport second = aligner.repair();
                assertThat(schema.snapshotSchema(c)).isEqualTo(afterFirst);
                assertThat(second.withAction(RepairAction.REPAIRED)).as("repaired twice").isEmpty();
                assertThat(second.withAction(RepairAction.FAILED)).isEmpty();
                assertThat(second.withStatus(SequenceStatus.BEHIND)).isEmpty();
                for (SequenceReport r : second.sequences()) {
                    SequenceReport f = report(first, r.name());
                    assertThat(r.status()).as("status of %s in the second repair", r.name()).isEqualTo(f.status());
                    assertThat(r.nextValue()).as("nextValue of %s in the second repair", r.name())
                            .isEqualTo(f.nextValue());
                    assertThat(r.notes()).as("notes of %s in the second repair", r.name())
                            .noneMatch(n -> n.contains("another session"));
                }
            } finally {
                schema.drop(c);
            }
        }
    }

    /**
     * (d) After a repair, an insert through the column's default gets an id no row of any table the sequence feeds
     * already holds: under plain (weighted double), and under pooled and pooled-lo, which are at least as strict for
     * an application that inserts one {@code nextval()} per row. Hilo is left out: its values are not ids.
     */
    @Property(tries = 30)
    void insertsThroughTheDefaultDoNotCollideAfterRepair(@ForAll("idScenarios") Scenario scenario)
            throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            GeneratedSchema schema = GeneratedSchema.build(c, scenario);
            try {
                SequenceAligner aligner = aligner(schema, scenario);
                aligner.repair();
                AlignmentReport verify = aligner.verify();
                Map<List<String>, State> states = schema.snapshotSchema(c);
                for (GeneratedSchema.Sequence s : schema.sequences) {
                    SequenceReport r = report(verify, s.name);
                    BigInteger next = schema.state(states, s.name).next(s.increment);
                    boolean canHandOut = next.compareTo(s.usableLow()) >= 0 && next.compareTo(s.usableHigh()) <= 0;
                    if (r.status() == SequenceStatus.EXHAUSTED || !canHandOut) {
                        continue;
                    }
                    assertThat(r.status()).isIn(SequenceStatus.ALIGNED, SequenceStatus.EMPTY);
                    for (GeneratedSchema.Table t : s.tables) {
                        // an earlier insert may have handed out the last value of a shared sequence
                        next = schema.state(schema.snapshotSchema(c), s.name).next(s.increment);
                        if (next.compareTo(s.usableLow()) < 0 || next.compareTo(s.usableHigh()) > 0) {
                            continue;
                        }
                        BigInteger id;
                        try {
                            id = insertDefault(c, schema, t);
                        } catch (SQLException e) {
                            fail("insert through the default of %s.%s failed after repair (%s %s, next %s): %s",
                                    t.name, t.column, r.status(), r.name(), next, e.getMessage());
                            return;
                        }
                        long copies = 0;
                        for (GeneratedSchema.Table other : s.tables) {
                            copies += count(c, schema, other, id);
                        }
                        assertThat(copies).as("rows holding id %s of %s after inserting it into %s", id, s.name,
                                t.name).isEqualTo(1);
                        t.values.add(new BigDecimal(id));
                    }
                }
            } finally {
                schema.drop(c);
            }
        }
    }

    /** (e) The sequences a repair changes are exactly those the plan marked PLANNED, with the same statements. */
    @Property(tries = 30)
    void repairChangesExactlyWhatThePlanPlanned(@ForAll("scenarios") Scenario scenario) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            GeneratedSchema schema = GeneratedSchema.build(c, scenario);
            try {
                SequenceAligner aligner = aligner(schema, scenario);
                Map<List<String>, State> before = schema.snapshotSchema(c);
                AlignmentReport plan = aligner.plan();
                assertThat(schema.snapshotSchema(c)).as("plan changed a sequence").isEqualTo(before);
                AlignmentReport repair = aligner.repair();
                Map<List<String>, State> after = schema.snapshotSchema(c);

                Set<String> changed = new TreeSet<>();
                for (Map.Entry<List<String>, State> e : before.entrySet()) {
                    if (!e.getValue().equals(after.get(e.getKey()))) {
                        changed.add(e.getKey().get(1));
                    }
                }
                Set<String> planned = new TreeSet<>(names(plan, RepairAction.PLANNED));
                assertThat(changed).as("changed by repair vs planned").isEqualTo(planned);
                assertThat(new TreeSet<>(names(repair, RepairAction.REPAIRED))).isEqualTo(planned);
                assertThat(new TreeSet<>(names(plan, null))).isEqualTo(new TreeSet<>(names(repair, null)));
                for (SequenceReport p : plan.sequences()) {
                    SequenceReport r = report(repair, p.name());
                    if (p.action() == RepairAction.PLANNED) {
                        assertThat(p.status()).isEqualTo(SequenceStatus.BEHIND);
                        assertThat(p.sql()).isNotNull();
                        assertThat(r.sql()).as("statement run for %s", p.name()).isEqualTo(p.sql());
                    } else {
                        assertThat(p.action()).isEqualTo(RepairAction.NONE);
                        assertThat(p.status()).isNotEqualTo(SequenceStatus.BEHIND);
                        assertThat(p.sql()).isNull();
                        assertThat(r.status()).isEqualTo(p.status());
                    }
                }
            } finally {
                schema.drop(c);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static SequenceAligner aligner(GeneratedSchema schema, Scenario scenario) {
        return SequenceAligner.configure().dataSource(db.dataSource()).schemas(GeneratedNames.ident(schema.schema))
                .allocation(scenario.rule()).margin(scenario.margin()).jobs(scenario.jobs())
                .blockWritersDuringRepair(scenario.blockWriters()).load();
    }

    private static SequenceReport report(AlignmentReport report, String name) {
        List<SequenceReport> found = report.sequences().stream().filter(s -> s.name().equals(name))
                .collect(Collectors.toList());
        assertThat(found).as("report entries for sequence %s", name).hasSize(1);
        return found.get(0);
    }

    private static Set<String> names(AlignmentReport report, RepairAction action) {
        Set<String> names = new HashSet<>();
        for (SequenceReport s : report.sequences()) {
            if (action == null || s.action() == action) {
                names.add(s.name());
            }
        }
        return names;
    }

    private static Long longOrNull(BigInteger value) {
        return value == null || value.bitLength() > 63 ? null : value.longValue();
    }

    private static BigInteger insertDefault(Connection c, GeneratedSchema schema, GeneratedSchema.Table t)
            throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("INSERT INTO " + t.qualifiedIn(schema.schema) + " DEFAULT VALUES"
                        + " RETURNING " + GeneratedNames.ident(t.column))) {
            rs.next();
            return rs.getBigDecimal(1).toBigIntegerExact();
        }
    }

    private static long count(Connection c, GeneratedSchema schema, GeneratedSchema.Table t, BigInteger id)
            throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t.qualifiedIn(schema.schema) + " WHERE "
                        + GeneratedNames.ident(t.column) + " = " + id)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
