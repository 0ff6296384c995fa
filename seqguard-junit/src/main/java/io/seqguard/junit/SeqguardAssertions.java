package io.seqguard.junit;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AlignmentReport;
import io.seqguard.NotAlignedException;
import io.seqguard.SequenceAligner;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Assertions for tests that load fixtures with explicit ids (SQL scripts, {@code COPY}, DbUnit, Testcontainers
 * init scripts): the next insert through a sequence must not collide with what the fixture wrote.
 *
 * <pre>{@code
 * @PostgresTest
 * class OrderRepositoryTest {
 *     @Test
 *     void fixturesLeaveTheSequencesAhead(DataSource dataSource) {
 *         loadFixtures(dataSource);
 *         SeqguardAssertions.assertAligned(dataSource);
 *     }
 * }
 * }</pre>
 */
public final class SeqguardAssertions {

    private SeqguardAssertions() {
    }

    /**
     * Fails unless the verdict is aligned: when any sequence is behind its data, exhausted or mismatched with its
     * entity's allocation, and when any could not be verified and is not acknowledged; changes nothing.
     *
     * @param dataSource the database to check
     * @return the report, for further assertions
     * @throws AssertionError listing each such sequence, why, and how to fix it
     */
    public static AlignmentReport assertAligned(DataSource dataSource) {
        return assertAligned(dataSource, configuration -> { });
    }

    /**
     * Like {@link #assertAligned(DataSource)}, with the checker configured (schemas, mappings, allocation rule).
     *
     * @param dataSource the database to check
     * @param configuration adjusts the configuration, for example {@code c -> c.schemas("app")}
     * @return the report, for further assertions
     * @throws AssertionError listing each sequence that is not aligned, why, and how to fix it
     */
    public static AlignmentReport assertAligned(DataSource dataSource, Consumer<AlignerConfiguration> configuration) {
        AlignerConfiguration config = SequenceAligner.configure().dataSource(dataSource);
        configuration.accept(config);
        AlignmentReport report = config.load().verify();
        try {
            return report.requireAligned();
        } catch (NotAlignedException e) {
            throw new AssertionError(e.getMessage() + "\n\n" + report.toText(), e);
        }
    }
}
