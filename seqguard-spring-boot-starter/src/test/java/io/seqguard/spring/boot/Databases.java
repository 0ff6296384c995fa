package io.seqguard.spring.boot;

import io.seqguard.test.TestDatabase;

import java.util.ArrayList;
import java.util.List;

/** Spring properties that point an application at a test database. */
final class Databases {

    private Databases() {
    }

    /** {@code spring.datasource.*} for the auto-configured pool, small and quick to close. */
    static String[] springDataSource(TestDatabase db) {
        return new String[] {"spring.datasource.url=" + db.jdbcUrl(),
                "spring.datasource.username=" + db.server().superuser(),
                "spring.datasource.hikari.maximum-pool-size=6", "spring.datasource.hikari.minimum-idle=0"};
    }

    /**
     * The command line of the shop application ({@code io.seqguard.spring.boot.app}) on the test database, quiet and
     * without JMX or Liquibase, then {@code extra}.
     */
    static String[] shopArguments(TestDatabase db, List<String> extra) {
        List<String> args = new ArrayList<>();
        for (String property : springDataSource(db)) {
            args.add("--" + property);
        }
        args.addAll(List.of("--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
                "--spring.liquibase.enabled=false", "--spring.application.name=shop"));
        args.addAll(extra);
        return args.toArray(String[]::new);
    }

    /** A table fed by a bigserial, loaded with explicit ids up to {@code max}: a sequence that lags its data. */
    static void laggingTable(TestDatabase db, String table, int max) {
        db.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, note text)",
                "INSERT INTO " + table + " (id, note) SELECT g, 'replicated' FROM generate_series(1, " + max + ") g");
    }
}
