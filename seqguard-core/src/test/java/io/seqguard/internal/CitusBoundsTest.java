package io.seqguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reads of a Citus node, on plain PostgreSQL: tables with ids placed in the slices of groups 0, 1, 2 and 5 (beyond
 * the active groups 0 to 2) and on the slices' edges, under hostile names, read as the engine reads them
 * ({@link BoundReader} with the ranges {@link CitusCatalog} gives a column): a column an index leads through one
 * bounded {@code max()} per range, any other through one scan with a filtered {@code max()} per range. Citus itself
 * cannot run here; what it adds (every shard read through the node's shell table) does not change what the statement
 * asks.
 */
@PostgresTest
class CitusBoundsTest {

    private static final String SCHEMA = "\"Citus \"\"EU\"\"; DROP TABLE x\"";
    private static final String INDEXED = SCHEMA + ".\"Order Lines; DROP TABLE x\"";
    private static final String UNINDEXED = SCHEMA + ".\"tenant items\"";
    private static final List<Long> ACTIVE = List.of(0L, 1L, 2L);

    private final TestDatabase db;

    CitusBoundsTest(TestDatabase db) {
        this.db = db;
    }

    private static BigInteger start(long group) {
        return CitusRanges.ofGroup(group).low();
    }

    private static BigInteger end(long group) {
        return CitusRanges.ofGroup(group).high();
    }

    @BeforeEach
    void loadSchema() {
        db.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA,
                "CREATE TABLE " + INDEXED + " (id bigint PRIMARY KEY, note text)",
                // distributed by tenant, as people do on Citus: nothing leads with the id, so max(id) scans
                "CREATE TABLE " + UNINDEXED + " (tenant_id bigint NOT NULL, \"ÏD; --\" bigint NOT NULL,"
                        + " PRIMARY KEY (tenant_id, \"ÏD; --\"))");
        List<BigInteger> ids = new ArrayList<>();
        // the coordinator's first rows, and every slice's edges: its first and last id, and the next slice's first
        ids.add(BigInteger.ONE);
        ids.add(BigInteger.valueOf(500));
        for (long g : List.of(0L, 1L, 2L)) {
            ids.add(start(g).add(BigInteger.valueOf(7)));
            ids.add(end(g));
        }
        ids.add(start(1));
        ids.add(start(1).add(BigInteger.valueOf(49)));
        ids.add(start(2));
        // rows copied from a bigger cluster: in group 5's slice, which no active group hands out
        ids.add(start(5).add(BigInteger.valueOf(3)));
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(").append(i).append(", ").append(ids.get(i)).append(")");
        }
        db.execute("INSERT INTO " + INDEXED + " (id) SELECT v FROM (VALUES " + values + ") AS r(t, v)",
                "INSERT INTO " + UNINDEXED + " SELECT t, v FROM (VALUES " + values + ") AS r(t, v)",
                // enough rows elsewhere that the planner prefers the index where one can answer
                "INSERT INTO " + INDEXED + " (id) SELECT 1000 + g FROM generate_series(1, 20000) AS g",
                "ANALYZE " + INDEXED);
    }

    @Test
    void eachNodeReadsTheHighestIdInsideItsOwnRangeOnly() throws SQLException {
        for (boolean indexed : List.of(true, false)) {
            // the coordinator: its own slice, and the ids above every active group's (the note a node added later
            // needs)
            BoundReader.Read coordinator = read(indexed, 0);
            assertThat(coordinator.value).isEqualTo(new BigDecimal(end(0)));
            assertThat(coordinator.aboveGroups).isEqualTo(new BigDecimal(start(5).add(BigInteger.valueOf(3))));
            // a worker: its own slice only, whatever the other nodes hold
            BoundReader.Read worker1 = read(indexed, 1);
            assertThat(worker1.value).isEqualTo(new BigDecimal(end(1)));
            assertThat(worker1.aboveGroups).isNull();
            assertThat(read(indexed, 2).value).isEqualTo(new BigDecimal(end(2)));
            // a group with no rows in its slice
            assertThat(read(indexed, 3).value).isNull();
        }
    }

    @Test
    void theSlicesEdgesBelongToTheirOwnGroup() throws SQLException {
        db.execute("DELETE FROM " + INDEXED + " WHERE id = " + end(1),
                "DELETE FROM " + UNINDEXED + " WHERE \"ÏD; --\" = " + end(1));
        for (boolean indexed : List.of(true, false)) {
            // group 2's first id is not group 1's; group 1's own highest is then the copied 49th
            assertThat(read(indexed, 1).value).isEqualTo(new BigDecimal(start(1).add(BigInteger.valueOf(49))));
            assertThat(read(indexed, 2).value).isEqualTo(new BigDecimal(end(2)));
        }
    }

    @Test
    void anIndexAnswersEveryRangeAndAFullScanIsDoneOnce() throws SQLException {
        String indexedPlan = explain(sql(true, 0));
        assertThat(indexedPlan).doesNotContain("Seq Scan").contains("Index Only Scan Backward");
        // both ranges, the open one too: its end is no numeric literal that would keep the index from answering
        assertThat(indexedPlan.split("Index Only Scan Backward", -1)).hasSize(3);
        String scanPlan = explain(sql(false, 0));
        assertThat(scanPlan.split("Seq Scan", -1)).as(scanPlan).hasSize(2);
        assertThat(sql(false, 0)).contains("FILTER (WHERE");
    }

    @Test
    void theIdentifiersStayData() throws SQLException {
        // the names come quoted by the server, as the catalog query quotes them; a statement that broke on them
        // would fail or read another table
        String statement = sql(false, 0);
        assertThat(statement).contains("\"ÏD; --\"", "\"Citus \"\"EU\"\"; DROP TABLE x\"");
        assertThat(read(false, 0).value).isEqualTo(new BigDecimal(end(0)));
        assertThat(db.queryForLong("SELECT count(*) FROM " + UNINDEXED)).isEqualTo(12);
    }

    /** The read the engine makes of the column on the node of {@code group}, run through {@link BoundReader}. */
    private BoundReader.Read read(boolean indexed, long group) throws SQLException {
        BoundReader.Read read = new BoundReader.Read(column(indexed, group), true);
        try (Session session = Session.open(db.dataSource(), true, Duration.ofSeconds(30), Duration.ofSeconds(5))) {
            new BoundReader(30_000, io.seqguard.Vocabulary.API).read(session, List.of(read), null);
        }
        assertThat(read.error).isNull();
        return read;
    }

    private String sql(boolean indexed, long group) throws SQLException {
        return new BoundReader.Read(column(indexed, group), true).sql();
    }

    /** The column as the catalog query describes it (names quoted by the server), with a node's ranges. */
    private ColumnInfo column(boolean indexed, long group) throws SQLException {
        String table = indexed ? INDEXED : UNINDEXED;
        String columnName = indexed ? "id" : "ÏD; --";
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT t.oid::bigint, format('%I.%I', n.nspname, t.relname),"
                        + " quote_ident(a.attname), a.attnum FROM pg_class t JOIN pg_namespace n ON n.oid ="
                        + " t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid WHERE t.oid = '"
                        + table.replace("'", "''") + "'::regclass AND a.attname = '" + columnName + "'")) {
            rs.next();
            ColumnInfo column = new ColumnInfo(rs.getLong(1), rs.getInt(4), "s", "t", columnName, rs.getString(2),
                    rs.getString(3), "bigint", ColumnInfo.INT8, 'r', true, indexed, 2);
            List<CitusRanges.Range> ranges = new ArrayList<>();
            ranges.add(CitusRanges.ofGroup(group));
            if (group == 0) {
                ranges.add(CitusRanges.aboveGroups(ACTIVE));
            }
            column.citusRanges = ranges;
            return column;
        }
    }

    private String explain(String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = db.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
