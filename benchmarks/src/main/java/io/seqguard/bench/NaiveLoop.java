package io.seqguard.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What an application developer writes by hand over JDBC: list the sequences owned by a column (serial/identity,
 * through pg_depend like the wiki), then for each one {@code SELECT max(col) FROM table} and, when the table has
 * rows, {@code SELECT setval(seq, max)}. One connection, auto-commit, one round trip per statement. Timed from
 * opening the connection to closing it.
 */
final class NaiveLoop implements Contender {

    private static final String OWNED = """
            SELECT s.oid::regclass::text, t.oid::regclass::text, quote_ident(a.attname)
            FROM pg_depend d
            JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            JOIN pg_class t ON t.oid = d.refobjid
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
              AND d.deptype IN ('a', 'i')
            """;

    private String last;

    @Override
    public String name() {
        return "naive JDBC loop";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public long run(Workload w) throws Exception {
        long t0 = System.nanoTime();
        int set = 0;
        try (Connection c = w.dataSource.getConnection()) {
            List<String[]> owned = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(OWNED)) {
                while (rs.next()) {
                    owned.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            try (Statement st = c.createStatement();
                    PreparedStatement setval = c.prepareStatement("SELECT setval(?::regclass, ?)")) {
                for (String[] o : owned) {
                    long max;
                    try (ResultSet rs = st.executeQuery("SELECT max(" + o[2] + ") FROM " + o[1])) {
                        rs.next();
                        max = rs.getLong(1);
                        if (rs.wasNull()) {
                            continue;
                        }
                    }
                    setval.setString(1, o[0]);
                    setval.setLong(2, max);
                    try (ResultSet rs = setval.executeQuery()) {
                        rs.next();
                    }
                    set++;
                }
            }
        }
        long elapsed = System.nanoTime() - t0;
        last = set + " setval calls";
        return elapsed;
    }

    @Override
    public String lastOutcome() {
        return last;
    }
}
