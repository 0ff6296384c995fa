package io.seqguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.AlignerConfiguration;
import io.seqguard.SequenceAligner;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seams the engine splits its work along: the catalog read in parts on several connections must classify every
 * column exactly as one read of the whole scope does (mappings, shared sequences, partitions and inheritance
 * included), and the data chunks must keep each sequence's reads with the sequence whose state follows them.
 */
@PostgresTest
class CatalogPartsTest {

    private static final String HOSTILE_SCHEMA = "\"Parts \"\"EU\"\"; DROP TABLE x\"";

    private final TestDatabase db;

    CatalogPartsTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void loadSchema() {
        db.execute("DROP SCHEMA IF EXISTS app CASCADE", "DROP SCHEMA IF EXISTS other CASCADE",
                "DROP SCHEMA IF EXISTS " + HOSTILE_SCHEMA + " CASCADE",
                "CREATE SCHEMA app", "CREATE SCHEMA other", "CREATE SCHEMA " + HOSTILE_SCHEMA,
                "CREATE TABLE app.a (id serial PRIMARY KEY)",
                "CREATE TABLE app.b (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)",
                // one sequence feeding tables in two schemas
                "CREATE SEQUENCE app.shared_seq",
                "CREATE TABLE app.invoice (id bigint DEFAULT nextval('app.shared_seq') PRIMARY KEY)",
                "CREATE TABLE other.invoice (id bigint DEFAULT nextval('app.shared_seq') PRIMARY KEY)",
                // partitions: the parent's read covers them
                "CREATE TABLE app.events (id bigserial, at date NOT NULL, PRIMARY KEY (id, at))"
                        + " PARTITION BY RANGE (at)",
                "CREATE TABLE app.events_1 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE app.events_2 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                // inheritance without any index: read alone
                "CREATE TABLE app.animal (id serial, name text)",
                "CREATE TABLE app.dog () INHERITS (app.animal)",
                // a non-numeric default, an orphan made verifiable by a mapping
                "CREATE SEQUENCE app.code_seq",
                "CREATE TABLE app.coded (code text DEFAULT 'C-' || nextval('app.code_seq'))",
                "CREATE SEQUENCE app.bill_seq",
                "CREATE TABLE app.bill (number bigint)",
                "CREATE TABLE " + HOSTILE_SCHEMA + ".\"Order Lines; DELETE FROM y\" (\"ÏD\" bigserial PRIMARY KEY)",
                "CREATE SEQUENCE app.down INCREMENT -1 MINVALUE -100 MAXVALUE -1 START -1",
                "CREATE TABLE app.down_t (id int DEFAULT nextval('app.down') PRIMARY KEY)");
    }

    private AlignerConfiguration config() {
        return SequenceAligner.configure().dataSource(db.dataSource()).schemas("app", "other", HOSTILE_SCHEMA)
                .map("app.bill_seq", "app.bill", "number");
    }

    @Test
    void columnsReadInPartsAreClassifiedAsInOneRead() throws SQLException {
        Map<String, String> whole = describe(read(1));
        Map<String, String> split = describe(read(3));

        assertThat(split).isEqualTo(whole);
        assertThat(whole).hasSize(9);
        assertThat(whole.get("app.shared_seq")).contains("app.invoice.id", "other.invoice.id");
        assertThat(whole.get("app.events_id_seq"))
                .contains("app.events.id [OWNED, DEFAULT] compared direct")
                .contains("app.events_1.id [DEFAULT] compared covered by the read of parent table app.events");
        assertThat(whole.get("app.bill_seq")).contains("app.bill.number [MAPPED] compared direct");
        assertThat(whole.get("app.code_seq")).contains("not a plain nextval()");
    }

    @Test
    void partsShareTheSequencesOutRoundRobin() throws SQLException {
        CatalogReader.Scope scope = scope();
        assertThat(scope.oids()).hasSize(9);
        List<List<Long>> parts = scope.parts(3, 1);
        assertThat(parts).hasSize(3).allSatisfy(part -> assertThat(part).hasSize(3));
        assertThat(parts.stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(scope.oids());
        assertThat(scope.parts(3, 1000)).as("a small scope stays in one part").hasSize(1);
        assertThat(scope.parts(1, 1)).hasSize(1);
    }

    @Test
    void eachSequenceReadsItsDataInTheChunkThatReadsItsState() throws SQLException {
        List<SequenceInfo> sequences = read(2);
        List<BoundReader.Chunk> chunks = BoundReader.plan(sequences, 2);

        Map<BoundReader.Read, BoundReader.Chunk> chunkOfRead = new IdentityHashMap<>();
        for (BoundReader.Chunk chunk : chunks) {
            for (BoundReader.Read read : chunk.reads) {
                assertThat(chunkOfRead.put(read, chunk)).as("a read belongs to one chunk").isNull();
            }
        }
        int looked = 0;
        for (BoundReader.Chunk chunk : chunks) {
            for (SequenceInfo s : chunk.sequences) {
                looked++;
                for (ColumnInfo c : s.columns) {
                    if (c.readDirectly) {
                        assertThat(chunkOfRead.get(c.read)).as("the read of %s", c.displayName()).isSameAs(chunk);
                    } else {
                        assertThat(c.read).as("%s is not read directly", c.displayName()).isNull();
                    }
                }
            }
        }
        assertThat(looked).isEqualTo(sequences.size());
        // the unindexed inheritance parent is read alone, first
        assertThat(chunks.get(0).sequences).extracting(s -> s.name).containsExactly("animal_id_seq");
        assertThat(chunks.get(0).reads).extracting(r -> r.column.table).containsExactly("animal");
    }

    private CatalogReader.Scope scope() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            return new CatalogReader(config()).readScope(connection);
        }
    }

    /** The scope with its columns read in up to {@code parts} parts, each on its own connection. */
    private List<SequenceInfo> read(int parts) throws SQLException {
        CatalogReader reader = new CatalogReader(config());
        CatalogReader.Scope scope;
        try (Connection connection = db.dataSource().getConnection()) {
            scope = reader.readScope(connection);
        }
        for (List<Long> part : scope.parts(parts, 1)) {
            try (Connection connection = db.dataSource().getConnection()) {
                reader.readPart(connection, part, scope);
            }
        }
        List<SequenceInfo> sequences = scope.sequences();
        assertThat(sequences).extracting(s -> s.oid).as("every sequence read once, in scope order")
                .containsExactlyElementsOf(scope.oids());
        return sequences;
    }

    private static Map<String, String> describe(List<SequenceInfo> sequences) {
        Map<String, String> result = new TreeMap<>();
        for (SequenceInfo s : sequences) {
            List<String> columns = new ArrayList<>();
            for (ColumnInfo c : s.columns) {
                columns.add(c.displayName() + " " + c.sources + " " + (c.compared ? "compared" : "not compared")
                        + (c.readDirectly ? " direct" : "") + (c.note == null ? "" : " " + c.note)
                        + " locks " + c.lockWeight());
            }
            result.put(s.displayName(), s.ident + " " + s.literal + " " + s.dataType + " by " + s.increment + " ["
                    + s.minValue + ", " + s.maxValue + "] select " + s.canSelect + " update " + s.canUpdate
                    + " skipped " + s.skipReason + ": " + String.join("; ", columns));
        }
        return result;
    }
}
