package io.seqguard.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The server-side work alone, the physical limit for any client: for each owned sequence one {@code max()} of its
 * column and one {@code setval()}, in a plpgsql DO block, the sequences split round-robin over {@code backends}
 * connections running at the same time. Each block commits every 500 tables so no transaction exhausts the lock
 * table. Timed from the moment all connections are open (a fresh backend each, as every contender gets) until the
 * last block returns: no catalog work beyond one pg_depend query per backend, no round trip per table.
 */
final class ServerFloor implements Contender {

    private final int backends;

    ServerFloor(int backends) {
        this.backends = backends;
    }

    static String block(int part, int parts) {
        return """
                DO $$
                DECLARE r record; m bigint; n int := 0;
                BEGIN
                  FOR r IN
                    SELECT seq, tbl, col FROM (
                      SELECT d.objid::regclass AS seq, d.refobjid::regclass AS tbl, quote_ident(a.attname) AS col,
                             row_number() OVER (ORDER BY d.objid) AS rn
                      FROM pg_depend d
                      JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                        AND d.deptype IN ('a', 'i')
                    ) x WHERE rn %% %d = %d
                  LOOP
                    EXECUTE format('SELECT max(%%s) FROM %%s', r.col, r.tbl) INTO m;
                    IF m IS NOT NULL THEN PERFORM setval(r.seq, m); END IF;
                    n := n + 1;
                    IF n %% 500 = 0 THEN COMMIT; END IF;
                  END LOOP;
                END $$""".formatted(parts, part);
    }

    @Override
    public String name() {
        return "floor, " + backends + (backends == 1 ? " backend" : " backends");
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public long run(Workload w) throws Exception {
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(backends);
        try {
            for (int i = 0; i < backends; i++) {
                connections.add(w.dataSource.getConnection());
            }
            long t0 = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < backends; i++) {
                Connection c = connections.get(i);
                String sql = block(i, backends);
                futures.add(pool.submit(() -> {
                    try (Statement st = c.createStatement()) {
                        st.execute(sql);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return System.nanoTime() - t0;
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing is not measured
                }
            }
        }
    }
}
