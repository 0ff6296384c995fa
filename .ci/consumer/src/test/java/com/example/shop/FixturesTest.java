package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.SequenceAligner;
import io.seqguard.junit.SeqguardAssertions;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import org.junit.jupiter.api.Test;

/** The test kit as a user's own tests use it: a real PostgreSQL per test class, and the fixture check. */
@PostgresTest
class FixturesTest {

    @Test
    void fixturesWithExplicitIdsAreCaughtAndRepaired(TestDatabase db) {
        db.execute("CREATE TABLE \"Order Lines; DROP TABLE x\" (id serial PRIMARY KEY, sku text)",
                "INSERT INTO \"Order Lines; DROP TABLE x\" VALUES (1, 'a'), (2, 'b')");
        assertThatThrownBy(() -> SeqguardAssertions.assertAligned(db.dataSource()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Order Lines; DROP TABLE x");

        SequenceAligner.configure().dataSource(db.dataSource()).load().repair();
        SeqguardAssertions.assertAligned(db.dataSource());
        db.execute("INSERT INTO \"Order Lines; DROP TABLE x\" (sku) VALUES ('c')");
        assertThat(db.queryForLong("SELECT max(id) FROM \"Order Lines; DROP TABLE x\"")).isEqualTo(3);
    }
}
