package io.seqguard.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.AlignerConfiguration;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.GuardedDataSource;
import io.seqguard.StandbyAction;
import io.seqguard.StartupGuard;
import io.seqguard.SubscriptionAction;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Configuration without a database: defaults, parsing, and messages that name the property. */
class StartupGuardConfigurationTest {

    /** A data source that must never be asked for a connection. */
    static final class NoDataSource implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLException("no database in this test");
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @Test
    void defaults() {
        GuardConfiguration config = StartupGuard.configure().dataSource(new NoDataSource()).load().configuration();
        assertThat(config.getMode()).isEqualTo(GuardMode.REPAIR);
        assertThat(config.getOnStandby()).isEqualTo(StandbyAction.VERIFY);
        assertThat(config.getOnEnabledSubscription()).isEqualTo(SubscriptionAction.REFUSE);
        assertThat(config.getTimeLimit()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.getLockWaitTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.isJournal()).isFalse();
        assertThat(config.getJournalTable()).isEqualTo("public.seqguard_journal");
        assertThat(config.getApplicationName()).isNull();
    }

    @Test
    void modesParseIgnoringCase() {
        assertThat(GuardMode.parse(" Repair ")).isEqualTo(GuardMode.REPAIR);
        assertThat(GuardMode.parse("VERIFY")).isEqualTo(GuardMode.VERIFY);
        assertThat(GuardMode.parse("off")).isEqualTo(GuardMode.OFF);
        // YAML 1.1 turns a bare off into false
        assertThat(GuardMode.parse("false")).isEqualTo(GuardMode.OFF);
        assertThat(StandbyAction.parse("Warn")).isEqualTo(StandbyAction.WARN);
        assertThat(SubscriptionAction.parse(" proceed")).isEqualTo(SubscriptionAction.PROCEED);
        assertThatThrownBy(() -> GuardMode.parse("fix"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mode: 'fix' is not a guard mode; use repair, verify or off");
        assertThatThrownBy(() -> StartupGuard.configure().onStandby("ignore"))
                .hasMessageStartingWith("onStandby: 'ignore' is not a standby action");
        assertThatThrownBy(() -> StartupGuard.configure().onEnabledSubscription("yes"))
                .hasMessageStartingWith("onEnabledSubscription: 'yes' is not a subscription action");
    }

    @Test
    void messagesNameTheProperty() {
        assertThatThrownBy(() -> StartupGuard.configure().load())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataSource is required: call dataSource(...) before load()");
        assertThatThrownBy(() -> StartupGuard.configure().timeLimit(Duration.ZERO))
                .hasMessage("timeLimit: must be between 1 ms and 24 days, was 0 ms");
        assertThatThrownBy(() -> StartupGuard.configure().lockWaitTimeout(Duration.ofSeconds(-1)))
                .hasMessageStartingWith("lockWaitTimeout: must be between");
        assertThatThrownBy(() -> StartupGuard.configure().dataSource(new NoDataSource())
                .timeLimit(Duration.ofSeconds(10)).lockWaitTimeout(Duration.ofSeconds(20)).load())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lockWaitTimeout (20000 ms) must not exceed timeLimit (10000 ms)");
        assertThatThrownBy(() -> StartupGuard.configure().applicationName("  "))
                .hasMessageStartingWith("applicationName: must be 1 to 200 characters");
        assertThatThrownBy(() -> StartupGuard.configure().journalTable("\"unclosed"))
                .hasMessageStartingWith("journalTable: '\"unclosed' has an unclosed double quote");
        assertThatThrownBy(() -> StartupGuard.configure().journalTable("a.b.c"))
                .hasMessageStartingWith("journalTable: 'a.b.c' must be NAME or SCHEMA.NAME");
        assertThatThrownBy(() -> StartupGuard.configure().dataSource(new NoDataSource())
                .aligner(a -> a.jobs(0)).load())
                .hasMessage("jobs: must be between 1 and 64, was 0");
    }

    @Test
    void theGuardRefusesItsOwnWrapperAsDataSource() {
        GuardedDataSource wrapper = new GuardedDataSource(StartupGuard.configure().dataSource(new NoDataSource())
                .load());
        assertThatThrownBy(() -> StartupGuard.configure().dataSource(wrapper))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dataSource must be the pool itself, not a GuardedDataSource");
    }

    @Test
    void aShortTimeLimitShortensTheDefaultLockWaitAndTheAlignersTimeouts() {
        StartupGuard guard = StartupGuard.configure().dataSource(new NoDataSource())
                .timeLimit(Duration.ofSeconds(5))
                .aligner(a -> a.statementTimeout(Duration.ofMinutes(5)))
                .aligner(a -> a.margin(7))
                .load();
        assertThat(guard.configuration().getLockWaitTimeout()).isEqualTo(Duration.ofSeconds(5));
        AlignerConfiguration aligner = guard.aligner().configuration();
        assertThat(aligner.getStatementTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(aligner.getLockTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(aligner.getMargin()).isEqualTo(7);
        assertThat(aligner.getDataSource()).isInstanceOf(NoDataSource.class);
    }

    @Test
    void theGuardsDataSourceReplacesTheAlignersOwn() {
        NoDataSource pool = new NoDataSource();
        StartupGuard guard = StartupGuard.configure().dataSource(pool)
                .aligner(a -> a.dataSource(new NoDataSource())).load();
        assertThat(guard.aligner().configuration().getDataSource()).isSameAs(pool);
    }

    @Test
    void modeOffTouchesNoConnection() {
        GuardResult result = StartupGuard.configure().mode("off").dataSource(new NoDataSource()).load().run();
        assertThat(result.outcome()).isEqualTo(GuardOutcome.SKIPPED);
        assertThat(result.report()).isNull();
        // and needs no data source at all
        assertThat(StartupGuard.configure().mode(GuardMode.OFF).load().run().outcome())
                .isEqualTo(GuardOutcome.SKIPPED);
    }

    @Test
    void aDatabaseThatCannotBeReachedFailsWithTheReason() {
        assertThatThrownBy(() -> StartupGuard.configure().dataSource(new NoDataSource()).load().run())
                .isInstanceOf(io.seqguard.StartupGuardException.class)
                .hasMessageContaining("could not borrow a connection: no database in this test")
                .hasMessageContaining("the aligner needs at least one more");
    }
}
