package io.seqguard;

import static io.seqguard.GeneratedNames.ident;
import static io.seqguard.GeneratedNames.literal;
import static io.seqguard.GeneratedNames.qualified;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.seqguard.internal.SqlNames;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three renderings of a report against their contracts: {@code toJson()} parsed by a strict JSON parser and
 * checked field by field against the README's "JSON report" shape and the record; {@code toText()} naming every
 * sequence; {@code toSql()} run on the server. Every name is hostile: quotes, backslashes, line breaks, tabs, control
 * characters and non-BMP unicode.
 */
@PostgresTest
class ReportJsonTest {

    /** Schema: a quote, a backslash, unicode and a line break. */
    private static final String SCHEMA = "rep \"json\" \\ ü\n";
    /** Behind, bigserial: a quote, a backslash and a tab. */
    private static final String ORDERS = "orders \"1\" \\ \t tab";
    /** Behind, its own sequence: a name that would run a statement if it escaped its SQL comment line. */
    private static final String EVIL_SEQ = "evil\nDROP TABLE json_victim; --";
    private static final String EVIL_CR_SEQ = "cr\rDROP TABLE json_victim; --";
    /** Aligned identity column: control characters. */
    private static final String CONTROL = "ctl \u0001\u0007\u001f\u007f end";
    /** Exhausted (MAXVALUE 10, data at 10). */
    private static final String EXHAUSTED_SEQ = "full \u2028 seq \\u0000";
    /** Empty table: non-BMP unicode and a JSON-looking name. */
    private static final String EMPTY = "日本語 🚀 {\"a\": [1]}";
    /** Only application code calls it. */
    private static final String ORPHAN = "it's an orphan";
    /** Skipped by configuration. */
    private static final String SKIPPED = "skip \"me\"";
    /** Mapped by configuration onto a column no default names. */
    private static final String MAPPED_SEQ = "mapped/*seq*/";
    private static final String MAPPED_TABLE = "mapped tbl";
    /** An entity's sequence as Hibernate writes it (no OWNED BY, no DEFAULT), allocationSize 50: discovered. */
    private static final String ENTITY_SEQ = "entity \"seq\"; --";
    private static final String ENTITY_TABLE = "Entity Lines; DROP TABLE json_victim";
    /** An entity's pooled block of 50 on a sequence that counts by 1. */
    private static final String MISMATCHED_SEQ = "mis\"matched";
    /** A sequence an entity names that the database lacks. */
    private static final String MISSING_SEQ = "not \"there\"";
    /** Data at the end of bigint: the required next value does not fit a long. */
    private static final String BIGINT_END = "end of \"bigint\"";

    private static final List<String> TOP_LEVEL = List.of("formatVersion", "operation", "database", "serverVersion",
            "allocation", "margin", "startedAt", "durationMillis", "verdict", "aligned", "counts",
            "enabledSubscriptions", "citus", "sequences");
    private static final List<String> SEQUENCE_FIELDS = List.of("schema", "name", "qualifiedName", "dataType",
            "increment", "minValue", "maxValue", "cycle", "status", "reason", "action", "previousNextValue",
            "nextValue", "dataBound", "requiredNextValue", "rangeUsed", "sql", "notes", "columns", "acknowledged",
            "dataUnread", "nodeRangeStart", "nodeRangeEnd", "exists", "allocation", "allocationSource");
    private static final List<String> COLUMN_FIELDS = List.of("schema", "table", "column", "qualifiedTable",
            "dataType", "sources", "compared", "note", "citusTable", "entities");
    private static final List<String> COUNT_KEYS = List.of("aligned", "behind", "exhausted", "not_verifiable",
            "no_privilege", "skipped", "empty", "not_used_on_node", "outside_node_range", "mismatched");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final TestDatabase db;

    ReportJsonTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void build() {
        String s = ident(SCHEMA);
        db.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE", "CREATE SCHEMA " + s,
                "DROP TABLE IF EXISTS public.json_victim", "CREATE TABLE public.json_victim (x int)",
                // behind: bigserial, explicit ids
                "CREATE TABLE " + qualified(SCHEMA, ORDERS) + " (id bigserial PRIMARY KEY)",
                "INSERT INTO " + qualified(SCHEMA, ORDERS) + " VALUES (1), (2), (41)",
                // behind: one sequence shared by two tables, one of them owning it
                "CREATE SEQUENCE " + qualified(SCHEMA, EVIL_SEQ),
                "CREATE TABLE " + qualified(SCHEMA, "evil tbl") + " (id int DEFAULT nextval("
                        + literal(qualified(SCHEMA, EVIL_SEQ)) + "))",
                "ALTER SEQUENCE " + qualified(SCHEMA, EVIL_SEQ) + " OWNED BY " + qualified(SCHEMA, "evil tbl")
                        + ".id",
                "CREATE TABLE " + qualified(SCHEMA, "evil too") + " (\"k\ney\" bigint DEFAULT nextval("
                        + literal(qualified(SCHEMA, EVIL_SEQ)) + "))",
                "INSERT INTO " + qualified(SCHEMA, "evil tbl") + " VALUES (3)",
                "INSERT INTO " + qualified(SCHEMA, "evil too") + " VALUES (7)",
                "CREATE SEQUENCE " + qualified(SCHEMA, EVIL_CR_SEQ) + " INCREMENT BY 5",
                "CREATE TABLE " + qualified(SCHEMA, "cr tbl") + " (id bigint DEFAULT nextval("
                        + literal(qualified(SCHEMA, EVIL_CR_SEQ)) + "))",
                "INSERT INTO " + qualified(SCHEMA, "cr tbl") + " VALUES (12)",
                // aligned: identity, moved past its data
                "CREATE TABLE " + qualified(SCHEMA, CONTROL) + " (" + ident(CONTROL + " id")
                        + " int GENERATED ALWAYS AS IDENTITY)",
                "INSERT INTO " + qualified(SCHEMA, CONTROL) + " OVERRIDING SYSTEM VALUE VALUES (5)",
                "SELECT setval(pg_get_serial_sequence(" + literal(qualified(SCHEMA, CONTROL)) + ", "
                        + literal(CONTROL + " id") + "), 9)",
                // exhausted
                "CREATE SEQUENCE " + qualified(SCHEMA, EXHAUSTED_SEQ) + " AS smallint MAXVALUE 10",
                "CREATE TABLE " + qualified(SCHEMA, "full tbl") + " (id smallint DEFAULT nextval("
                        + literal(qualified(SCHEMA, EXHAUSTED_SEQ)) + "))",
                "INSERT INTO " + qualified(SCHEMA, "full tbl") + " VALUES (10)",
                // empty
                "CREATE TABLE " + qualified(SCHEMA, EMPTY) + " (id serial)",
                // not verifiable: no column, and a default that is not a plain number
                "CREATE SEQUENCE " + qualified(SCHEMA, ORPHAN),
                "CREATE SEQUENCE " + qualified(SCHEMA, "invoice\\no"),
                "CREATE TABLE " + qualified(SCHEMA, "invoice") + " (code text DEFAULT 'INV-' || nextval("
                        + literal(qualified(SCHEMA, "invoice\\no")) + "))",
                "INSERT INTO " + qualified(SCHEMA, "invoice") + " VALUES ('INV-1')",
                // skipped by configuration
                "CREATE TABLE " + qualified(SCHEMA, SKIPPED) + " (id serial)",
                "INSERT INTO " + qualified(SCHEMA, SKIPPED) + " VALUES (100)",
                // mapped
                "CREATE SEQUENCE " + qualified(SCHEMA, MAPPED_SEQ),
                "CREATE TABLE " + qualified(SCHEMA, MAPPED_TABLE) + " (\"Num\" bigint)",
                "INSERT INTO " + qualified(SCHEMA, MAPPED_TABLE) + " VALUES (70)",
                // exhausted at the end of bigint: no long holds the required next value
                "CREATE TABLE " + qualified(SCHEMA, BIGINT_END) + " (id bigserial)",
                "INSERT INTO " + qualified(SCHEMA, BIGINT_END) + " VALUES (9223372036854775807)",
                // discovered: behind, mismatched, missing
                "CREATE SEQUENCE " + qualified(SCHEMA, ENTITY_SEQ) + " START WITH 1 INCREMENT BY 50",
                "CREATE TABLE " + qualified(SCHEMA, ENTITY_TABLE) + " (id bigint PRIMARY KEY, other bigint)",
                "INSERT INTO " + qualified(SCHEMA, ENTITY_TABLE) + " SELECT g, g FROM generate_series(1, 120) g",
                "CREATE SEQUENCE " + qualified(SCHEMA, MISMATCHED_SEQ) + " START WITH 1 INCREMENT BY 1",
                "CREATE TABLE " + qualified(SCHEMA, "mis tbl") + " (id bigint PRIMARY KEY)",
                "INSERT INTO " + qualified(SCHEMA, "mis tbl") + " VALUES (1)");
    }

    private SequenceMapping discovered(String sequence, String table, String column, String entity) {
        return SequenceMapping.builder().sequence(qualified(SCHEMA, sequence)).table(qualified(SCHEMA, table))
                .column(ident(column)).allocation(AllocationRule.pooled(50)).entity(entity).build();
    }

    private AlignerConfiguration configure() {
        return SequenceAligner.configure().dataSource(db.dataSource()).schemas(ident(SCHEMA))
                .excludeSequences(qualified(SCHEMA, SKIPPED + "_id_seq"))
                .map(qualified(SCHEMA, MAPPED_SEQ), qualified(SCHEMA, MAPPED_TABLE), ident("Num"))
                .mappings(List.of(discovered(ENTITY_SEQ, ENTITY_TABLE, "id", "com.acme.Line \"1\""),
                        discovered(ENTITY_SEQ, ENTITY_TABLE, "id", "com.acme.Line \"2\""),
                        discovered(MISMATCHED_SEQ, "mis tbl", "id", "com.acme.Mis"),
                        discovered(MISSING_SEQ, ENTITY_TABLE, "other", "com.acme.Gone")));
    }

    @Test
    void jsonOfEveryVerbMatchesTheDocumentedShapeAndTheRecord() throws Exception {
        SequenceAligner aligner = configure().margin(3).load();
        AlignmentReport verify = aligner.verify();
        assertThat(verify.countsByStatus()).as("the fixture covers every status but skipped-by-privilege")
                .containsEntry(SequenceStatus.ALIGNED, 1).containsEntry(SequenceStatus.BEHIND, 5)
                .containsEntry(SequenceStatus.EXHAUSTED, 2).containsEntry(SequenceStatus.NOT_VERIFIABLE, 3)
                .containsEntry(SequenceStatus.SKIPPED, 1).containsEntry(SequenceStatus.EMPTY, 1)
                .containsEntry(SequenceStatus.MISMATCHED, 1);
        AlignmentReport plan = aligner.plan();
        AlignmentReport repair = aligner.repair();
        AlignmentReport after = aligner.verify();
        assertThat(repair.withAction(RepairAction.REPAIRED)).hasSize(5);
        assertThat(after.withStatus(SequenceStatus.BEHIND)).isEmpty();

        for (AlignmentReport report : List.of(verify, plan, repair, after)) {
            assertJsonMatches(report);
        }
        // the fields that only some reports carry really were exercised
        SequenceReport bigintEnd = find(verify, BIGINT_END + "_id_seq");
        assertThat(bigintEnd.status()).isEqualTo(SequenceStatus.EXHAUSTED);
        assertThat(bigintEnd.requiredNextValue()).isNull();
        assertThat(find(repair, EVIL_SEQ).previousNextValue()).isEqualTo(1L);
        assertThat(find(plan, EVIL_SEQ).sql()).isNotNull();
        assertThat(find(verify, MAPPED_SEQ).columns().get(0).sources()).containsExactly(ColumnSource.MAPPED);
        assertThat(find(verify, "invoice\\no").columns().get(0).note()).isNotNull();
        SequenceReport entity = find(verify, ENTITY_SEQ);
        assertThat(entity.allocation()).isEqualTo(AllocationRule.pooled(50));
        assertThat(entity.allocationSource()).isEqualTo(AllocationSource.ENTITY);
        assertThat(entity.columns()).singleElement().satisfies(c -> {
            assertThat(c.sources()).containsExactly(ColumnSource.ENTITY);
            assertThat(c.entities()).containsExactly("com.acme.Line \"1\"", "com.acme.Line \"2\"");
        });
        assertThat(find(verify, ORPHAN).allocationSource()).isEqualTo(AllocationSource.DEFAULT);
        assertThat(find(verify, MISMATCHED_SEQ).status()).isEqualTo(SequenceStatus.MISMATCHED);
        SequenceReport missing = find(verify, MISSING_SEQ);
        assertThat(missing.exists()).isFalse();
        assertThat(missing.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        assertThat(missing.dataType()).isNull();
        assertThat(missing.qualifiedName()).isEqualTo(qualified(SCHEMA, MISSING_SEQ));
    }

    @Test
    void jsonOfAFailedRepair() throws Exception {
        String role = db.name() + "_ro \"json\"";
        db.createRole(role, null);
        db.execute("GRANT USAGE ON SCHEMA " + ident(SCHEMA) + " TO " + ident(role),
                "GRANT SELECT ON ALL TABLES IN SCHEMA " + ident(SCHEMA) + " TO " + ident(role),
                "GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + ident(SCHEMA) + " TO " + ident(role));
        AlignmentReport repair = configure().dataSource(db.dataSource(role, "unused")).load().repair();
        assertThat(repair.withAction(RepairAction.FAILED)).hasSize(5)
                .allSatisfy(s -> assertThat(s.reason()).contains("UPDATE"))
                .allSatisfy(s -> assertThat(s.sql()).as("the statement it would have run").isNotNull());
        assertJsonMatches(repair);
    }

    @Test
    void jsonOfAnEmptyReport() throws Exception {
        db.execute("DROP SCHEMA IF EXISTS \"nothing here\" CASCADE", "CREATE SCHEMA \"nothing here\"");
        AlignmentReport report = SequenceAligner.configure().dataSource(db.dataSource()).schemas("\"nothing here\"")
                .load().verify();
        JsonNode root = assertJsonMatches(report);
        assertThat(root.get("sequences").size()).isZero();
        for (String key : COUNT_KEYS) {
            assertThat(root.get("counts").get(key).asInt()).isZero();
        }
        assertThat(root.get("aligned").booleanValue()).isTrue();
    }

    @Test
    void textNamesEverySequenceExactlyAndNoNameBreaksALine() {
        SequenceAligner aligner = configure().load();
        for (AlignmentReport report : List.of(aligner.verify(), aligner.plan(), aligner.repair())) {
            String text = report.toText();
            assertThat(report.sequences()).hasSize(14);
            assertThat(text.chars().filter(c -> c != '\n' && (c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028)))
                    .as("%s text: no control character but the line ends", report.operation()).isEmpty();
            // the table: its heading, then one line per sequence, then a blank line
            List<String> lines = text.lines().toList();
            int heading = lines.indexOf(lines.stream().filter(l -> l.startsWith("STATUS  ")).findFirst().orElseThrow());
            assertThat(lines.subList(heading + 1, heading + 15)).as("%s table", report.operation())
                    .allMatch(l -> l.matches("[a-z][a-z ]* {2}.*"));
            assertThat(lines.get(heading + 15)).isEmpty();
            for (SequenceReport s : report.sequences()) {
                String shown = SqlNames.printable(s.qualifiedName());
                assertThat(text).as("%s text", report.operation()).contains(shown);
                assertThat(SqlNames.parse(shown, "name")).as("%s read back", shown)
                        .containsExactly(s.schema(), s.name());
                if (s.reason() != null) {
                    assertThat(text).as("%s text", report.operation()).contains(SqlNames.printable(s.reason()));
                }
            }
        }
    }

    @Test
    void planSqlRunsOnTheServerAndLineBreaksInNamesStayInsideTheComment() throws SQLException {
        SequenceAligner aligner = configure().load();
        AlignmentReport plan = aligner.plan();
        List<SequenceReport> planned = plan.withAction(RepairAction.PLANNED);
        assertThat(planned).extracting(SequenceReport::name)
                .containsExactlyInAnyOrder(ORDERS + "_id_seq", EVIL_SEQ, EVIL_CR_SEQ, MAPPED_SEQ, ENTITY_SEQ);
        String sql = plan.toSql();
        // first the verdict and each sequence the script leaves, then one comment per statement; names stay inside
        assertThat(sql).as("the script says its verdict first")
                .startsWith("-- verdict: " + plan.verdict().name().toLowerCase(java.util.Locale.ROOT));
        assertThat(sql.lines().filter(l -> l.startsWith("-- ") && l.contains(": next value ")).count())
                .isEqualTo(planned.size());

        // each statement returns one row: anything that escaped a comment would show up as another result
        assertThat(runScript(sql)).as("results of running plan().toSql()").isEqualTo(planned.size());
        assertThat(db.queryForLong("SELECT count(*) FROM pg_class WHERE oid = 'public.json_victim'::regclass"))
                .as("json_victim survives").isEqualTo(1);

        AlignmentReport after = aligner.verify();
        assertThat(after.withStatus(SequenceStatus.BEHIND)).isEmpty();
        for (SequenceReport p : planned) {
            SequenceReport now = find(after, p.name());
            assertThat(now.status()).isEqualTo(SequenceStatus.ALIGNED);
            assertThat(now.nextValue()).as("next value of %s after the plan's SQL", p.name())
                    .isGreaterThanOrEqualTo(p.requiredNextValue());
        }
        // the same statements again: forward-only, so they change nothing
        Map<List<String>, GeneratedSchema.State> before;
        try (Connection c = db.dataSource().getConnection()) {
            before = GeneratedSchema.snapshot(c);
        }
        runScript(sql);
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(GeneratedSchema.snapshot(c)).isEqualTo(before);
        }
        assertThat(aligner.repair().withAction(RepairAction.REPAIRED)).isEmpty();
    }

    @Test
    void repairSqlCanBeRunAgainByHand() throws SQLException {
        AlignmentReport repair = configure().load().repair();
        assertThat(repair.withAction(RepairAction.REPAIRED)).hasSize(5);
        Map<List<String>, GeneratedSchema.State> before;
        try (Connection c = db.dataSource().getConnection()) {
            before = GeneratedSchema.snapshot(c);
        }
        runScript(repair.toSql());
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(GeneratedSchema.snapshot(c)).isEqualTo(before);
        }
        assertThat(db.queryForLong("SELECT count(*) FROM pg_class WHERE oid = 'public.json_victim'::regclass"))
                .isEqualTo(1);
    }

    /**
     * A sequence no column uses is reported with a hint naming the mapping to configure. The hint must name the
     * sequence so that the mapping, written as shown, finds it: with a mixed-case name ({@code "Billing"."InvoiceNo"},
     * common with quoted JPA names) the unquoted {@code Billing.InvoiceNo} folds to {@code billing.invoiceno}.
     */
    @Test
    void theMappingHintOfAnUnusedSequenceWorksAsWritten() {
        db.execute("DROP SCHEMA IF EXISTS \"Billing\" CASCADE", "CREATE SCHEMA \"Billing\"",
                "CREATE SEQUENCE \"Billing\".\"InvoiceNo\"",
                "CREATE TABLE \"Billing\".\"Invoice\" (\"Number\" bigint)",
                "INSERT INTO \"Billing\".\"Invoice\" VALUES (500)");
        AlignerConfiguration config = SequenceAligner.configure().dataSource(db.dataSource())
                .schemas("\"Billing\"");
        SequenceReport unused = find(config.load().verify(), "InvoiceNo");
        assertThat(unused.status()).isEqualTo(SequenceStatus.NOT_VERIFIABLE);
        String reason = unused.reason();
        String placeholder = "=SCHEMA.TABLE.COLUMN";
        assertThat(reason).contains("(mappings ").contains(placeholder);
        String sequence = reason.substring(reason.indexOf("(mappings ") + "(mappings ".length(),
                reason.indexOf(placeholder));

        SequenceMapping mapping = SequenceMapping.parse(sequence + "=\"Billing\".\"Invoice\".\"Number\"");
        AlignmentReport mapped = config.mappings(List.of(mapping)).load().verify();
        assertThat(find(mapped, "InvoiceNo").status()).as("the sequence, mapped as the hint says (%s)", mapping)
                .isEqualTo(SequenceStatus.BEHIND);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Runs a script as one string, the way a user pastes it; returns how many results it produced. */
    private int runScript(String script) throws SQLException {
        int results = 0;
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            boolean isResult = st.execute(script);
            while (isResult || st.getUpdateCount() != -1) {
                results++;
                isResult = st.getMoreResults();
            }
        }
        return results;
    }

    private static SequenceReport find(AlignmentReport report, String name) {
        return report.sequences().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no sequence " + name + " in " + report.sequences()));
    }

    /** Parses the report's JSON strictly and checks every documented field against the record. */
    private JsonNode assertJsonMatches(AlignmentReport report) throws Exception {
        String json = report.toJson();
        JsonNode root = JSON.readTree(json);
        String what = report.operation() + " JSON";
        assertThat(root.isObject()).as(what).isTrue();
        assertThat(fieldNames(root)).as(what + " top-level fields").containsAll(TOP_LEVEL);

        assertThat(root.get("formatVersion").isIntegralNumber()).isTrue();
        assertThat(root.get("formatVersion").intValue()).isEqualTo(1);
        assertText(root, "operation", report.operation().name().toLowerCase(Locale.ROOT));
        assertText(root, "database", report.database());
        assertThat(report.database()).isEqualTo(db.name());
        assertText(root, "serverVersion", report.serverVersion());
        assertText(root, "allocation", report.allocation().toString());
        assertLong(root, "margin", report.margin());
        assertText(root, "startedAt", report.startedAt().toString());
        assertThat(Instant.parse(root.get("startedAt").textValue())).isEqualTo(report.startedAt());
        assertLong(root, "durationMillis", report.duration().toMillis());
        assertThat(root.get("aligned").isBoolean()).isTrue();
        assertThat(root.get("aligned").booleanValue()).isEqualTo(report.isAligned());
        assertText(root, "verdict", report.verdict().name().toLowerCase(Locale.ROOT));

        JsonNode counts = root.get("counts");
        assertThat(counts.isObject()).isTrue();
        assertThat(fieldNames(counts)).as("count keys").containsExactlyInAnyOrderElementsOf(COUNT_KEYS);
        JsonNode sequences = root.get("sequences");
        assertThat(sequences.isArray()).isTrue();
        assertThat(sequences.size()).isEqualTo(report.sequences().size());
        Map<SequenceStatus, Integer> fromList = new EnumMap<>(SequenceStatus.class);
        int total = 0;
        for (SequenceStatus status : SequenceStatus.values()) {
            String key = status.name().toLowerCase(Locale.ROOT);
            assertThat(counts.get(key).isIntegralNumber()).as("counts.%s", key).isTrue();
            assertThat(counts.get(key).intValue()).as("counts.%s", key)
                    .isEqualTo(report.countsByStatus().get(status));
            total += counts.get(key).intValue();
            fromList.put(status, 0);
        }
        assertThat(total).as("sum of counts").isEqualTo(sequences.size());
        for (JsonNode s : sequences) {
            fromList.merge(SequenceStatus.valueOf(s.get("status").textValue().toUpperCase(Locale.ROOT)), 1,
                    Integer::sum);
        }
        for (SequenceStatus status : SequenceStatus.values()) {
            assertThat(counts.get(status.name().toLowerCase(Locale.ROOT)).intValue())
                    .as("counts.%s against the statuses listed", status).isEqualTo(fromList.get(status));
        }
        boolean drift = fromList.get(SequenceStatus.BEHIND) + fromList.get(SequenceStatus.EXHAUSTED)
                + fromList.get(SequenceStatus.OUTSIDE_NODE_RANGE) + fromList.get(SequenceStatus.MISMATCHED) > 0;
        // plain PostgreSQL here: no Citus node (a Citus cluster cannot run in CI; the lab proves those fields)
        assertThat(report.citus()).isNull();
        assertThat(root.get("citus").isNull()).as("citus").isTrue();
        boolean unverified = false;
        for (JsonNode s : sequences) {
            String status = s.get("status").textValue();
            unverified |= (status.equals("not_verifiable") || status.equals("no_privilege"))
                    && !s.get("acknowledged").booleanValue();
        }
        assertThat(root.get("verdict").textValue()).as("verdict against the statuses listed")
                .isEqualTo(drift ? "drift" : unverified ? "incomplete" : "aligned");
        assertThat(root.get("aligned").booleanValue()).as("aligned only for the aligned verdict")
                .isEqualTo(!drift && !unverified);

        for (int i = 0; i < sequences.size(); i++) {
            assertSequence(sequences.get(i), report.sequences().get(i), what + " sequences[" + i + "]");
        }
        return root;
    }

    private static void assertSequence(JsonNode node, SequenceReport s, String what) {
        assertThat(node.isObject()).as(what).isTrue();
        assertThat(fieldNames(node)).as(what + " fields").containsAll(SEQUENCE_FIELDS);
        assertText(node, "schema", s.schema());
        assertText(node, "name", s.name());
        assertText(node, "qualifiedName", s.qualifiedName());
        assertText(node, "dataType", s.dataType());
        assertLong(node, "increment", s.increment());
        assertLong(node, "minValue", s.minValue());
        assertLong(node, "maxValue", s.maxValue());
        assertThat(node.get("cycle").isBoolean()).as(what + ".cycle").isTrue();
        assertThat(node.get("cycle").booleanValue()).as(what + ".cycle").isEqualTo(s.cycle());
        assertText(node, "status", s.status().name().toLowerCase(Locale.ROOT));
        assertText(node, "reason", s.reason());
        assertText(node, "action", s.action().name().toLowerCase(Locale.ROOT));
        assertLong(node, "previousNextValue", s.previousNextValue());
        assertLong(node, "nextValue", s.nextValue());
        assertLong(node, "dataBound", s.dataBound());
        assertLong(node, "requiredNextValue", s.requiredNextValue());
        assertLong(node, "nodeRangeStart", s.nodeRangeStart());
        assertLong(node, "nodeRangeEnd", s.nodeRangeEnd());
        JsonNode used = node.get("rangeUsed");
        if (s.rangeUsed() == null) {
            assertThat(used.isNull()).as(what + ".rangeUsed").isTrue();
        } else {
            assertThat(used.isNumber()).as(what + ".rangeUsed").isTrue();
            assertThat(used.doubleValue()).as(what + ".rangeUsed").isEqualTo(s.rangeUsed()).isBetween(0.0, 1.0);
        }
        assertText(node, "sql", s.sql());
        assertThat(node.get("dataUnread").isBoolean()).as(what + ".dataUnread").isTrue();
        assertThat(node.get("dataUnread").booleanValue()).as(what + ".dataUnread").isEqualTo(s.dataUnread());
        assertThat(node.get("exists").isBoolean()).as(what + ".exists").isTrue();
        assertThat(node.get("exists").booleanValue()).as(what + ".exists").isEqualTo(s.exists());
        assertText(node, "allocation", s.allocation().toString());
        assertText(node, "allocationSource", s.allocationSource().name().toLowerCase(Locale.ROOT));
        JsonNode notes = node.get("notes");
        assertThat(notes.isArray()).as(what + ".notes").isTrue();
        List<String> noteTexts = new ArrayList<>();
        notes.forEach(n -> {
            assertThat(n.isTextual()).as(what + ".notes[]").isTrue();
            noteTexts.add(n.textValue());
        });
        assertThat(noteTexts).as(what + ".notes").isEqualTo(s.notes());

        JsonNode columns = node.get("columns");
        assertThat(columns.isArray()).as(what + ".columns").isTrue();
        assertThat(columns.size()).as(what + ".columns").isEqualTo(s.columns().size());
        for (int i = 0; i < columns.size(); i++) {
            JsonNode c = columns.get(i);
            FedColumn f = s.columns().get(i);
            String cw = what + ".columns[" + i + "]";
            assertThat(fieldNames(c)).as(cw + " fields").containsAll(COLUMN_FIELDS);
            assertText(c, "schema", f.schema());
            assertText(c, "table", f.table());
            assertText(c, "column", f.column());
            assertText(c, "qualifiedTable", f.qualifiedTable());
            assertText(c, "dataType", f.dataType());
            assertThat(c.get("sources").isArray()).as(cw + ".sources").isTrue();
            List<String> sources = new ArrayList<>();
            c.get("sources").forEach(n -> {
                assertThat(n.isTextual()).as(cw + ".sources[]").isTrue();
                sources.add(n.textValue());
            });
            List<String> expected = new ArrayList<>();
            for (ColumnSource source : ColumnSource.values()) {
                if (f.sources().contains(source)) {
                    expected.add(source.name().toLowerCase(Locale.ROOT));
                }
            }
            assertThat(sources).as(cw + ".sources").isEqualTo(expected).isSubsetOf(Set.of("owned", "identity",
                    "default", "mapped", "entity"));
            assertThat(c.get("entities").isArray()).as(cw + ".entities").isTrue();
            List<String> entities = new ArrayList<>();
            c.get("entities").forEach(n -> entities.add(n.textValue()));
            assertThat(entities).as(cw + ".entities").isEqualTo(f.entities());
            assertThat(c.get("compared").isBoolean()).as(cw + ".compared").isTrue();
            assertThat(c.get("compared").booleanValue()).as(cw + ".compared").isEqualTo(f.compared());
            assertText(c, "note", f.note());
            assertText(c, "citusTable", f.citusTable());
        }
    }

    /** A string field equal to the value, or JSON null when the value is null. */
    private static void assertText(JsonNode node, String field, String value) {
        JsonNode v = node.get(field);
        assertThat(v).as("field %s present", field).isNotNull();
        if (value == null) {
            assertThat(v.isNull()).as("%s is null: %s", field, v).isTrue();
        } else {
            assertThat(v.isTextual()).as("%s is a string: %s", field, v).isTrue();
            assertThat(v.textValue()).as(field).isEqualTo(value);
        }
    }

    /** An integral number field equal to the value, or JSON null when the value is null. */
    private static void assertLong(JsonNode node, String field, Long value) {
        JsonNode v = node.get(field);
        assertThat(v).as("field %s present", field).isNotNull();
        if (value == null) {
            assertThat(v.isNull()).as("%s is null: %s", field, v).isTrue();
        } else {
            assertThat(v.isIntegralNumber() && v.canConvertToLong()).as("%s is an integer: %s", field, v).isTrue();
            assertThat(v.longValue()).as(field).isEqualTo(value);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
