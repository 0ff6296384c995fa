package io.seqguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark itself runs only with -Pbench; these keep its arithmetic honest in the normal build. */
class StatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(5L, 1L, 3L))).isEqualTo(3.0);
        assertThat(Stats.median(List.of(4L, 1L, 3L, 2L))).isEqualTo(2.5);
    }

    @Test
    void wikiRecipeIsTheWikiQuery() {
        assertThat(WikiRecipe.QUERY).contains("COALESCE(MAX(").contains("pg_depend AS D")
                .contains("T.relname = PGT.tablename").contains("ORDER BY S.relname");
    }

    @Test
    void floorSplitsTheWorkAndCommitsInChunks() {
        assertThat(ServerFloor.block(1, 2)).contains("rn % 2 = 1").contains("IF n % 500 = 0 THEN COMMIT")
                .doesNotContain("%%");
    }

    @Test
    void statementsAreCategorisedByWhatTheyDo() {
        assertThat(TimingDataSource.category("SET LOCAL statement_timeout = 1;\nSELECT max(id) FROM t"))
                .startsWith("3 data");
        assertThat(TimingDataSource.category("SELECT o::bigint, pg_sequence_last_value(o::regclass) FROM x"))
                .startsWith("2 state");
    }
}
