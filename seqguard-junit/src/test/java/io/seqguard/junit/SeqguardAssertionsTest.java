package io.seqguard.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.AlignmentReport;
import io.seqguard.AllocationRule;
import io.seqguard.SequenceAligner;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What a user's fixture test sees. */
@PostgresTest
class SeqguardAssertionsTest {

    @Test
    void aFixtureWithExplicitIdsFailsTheAssertionUntilRepaired(TestDatabase db, DataSource dataSource) {
        db.execute("CREATE SCHEMA fixture", "CREATE TABLE fixture.\"Customer Order\" (id serial PRIMARY KEY)",
                "INSERT INTO fixture.\"Customer Order\" VALUES (1), (2), (3)");

        assertThatThrownBy(() -> SeqguardAssertions.assertAligned(dataSource, c -> c.schemas("fixture")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("fixture.\"Customer Order_id_seq\"")
                .hasMessageContaining("max in use is 3")
                .hasMessageContaining("repair");

        SequenceAligner.configure().dataSource(dataSource).schemas("fixture").load().repair();
        AlignmentReport report = SeqguardAssertions.assertAligned(dataSource,
                c -> c.schemas("fixture").allocation(AllocationRule.plain()));
        assertThat(report.isAligned()).isTrue();
        assertThat(report.sequences()).hasSize(1);
    }
}
