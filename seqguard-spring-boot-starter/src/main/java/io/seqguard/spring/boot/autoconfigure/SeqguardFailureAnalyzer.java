package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.AlignmentReport;
import io.seqguard.AllocationRule;
import io.seqguard.FedColumn;
import io.seqguard.GuardMode;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuardException;
import io.seqguard.StartupGuardException.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a refusal of seqguard's startup guard into Spring Boot's "APPLICATION FAILED TO START" report: the
 * description says which DataSource, what is wrong and which sequences; the action names the property to change or
 * the command to run. Registered in {@code META-INF/spring.factories} under
 * {@code org.springframework.boot.diagnostics.FailureAnalyzer}.
 */
class SeqguardFailureAnalyzer extends AbstractFailureAnalyzer<StartupGuardException> {

    private static final String INDENT = "    ";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupGuardException cause) {
        SeqguardStartupException context = findCause(rootFailure, SeqguardStartupException.class);
        Target target = new Target(context);
        return new FailureAnalysis(description(cause, target), action(cause, target), cause);
    }

    /** What the analysis knows about the DataSource; all but the name may be unknown. */
    private static final class Target {
        final String name;
        final String url;
        final String user;
        final GuardMode mode;

        Target(SeqguardStartupException context) {
            this.name = context != null ? context.getDataSourceName() : null;
            this.url = context != null ? context.getJdbcUrl() : null;
            this.user = context != null ? context.getUsername() : null;
            this.mode = context != null ? context.getMode() : null;
        }

        /** {@code seqguard.X=value (only for this DataSource: seqguard.datasources.NAME.X=value)}. */
        String property(String property, String value) {
            String global = "seqguard." + property + "=" + value;
            return name == null ? global
                    : global + " (for this DataSource only: seqguard.datasources." + name + "." + property + "=" + value
                            + ")";
        }

        String cli(String verb) {
            return "java -jar seqguard.jar " + verb + " --url " + (url != null ? url : "<JDBC URL>")
                    + (user != null ? " --user " + user : "");
        }
    }

    private static String description(StartupGuardException cause, Target target) {
        StringBuilder text = new StringBuilder("seqguard's startup guard refused start-up");
        if (target.name != null) {
            text.append(" on DataSource '").append(target.name).append('\'');
            if (target.url != null) {
                text.append(" (").append(target.url).append(')');
            }
        }
        text.append(".\n\n");
        AlignmentReport report = cause.report();
        List<SequenceReport> drift = report == null ? List.of()
                : report.sequences().stream().filter(s -> s.status().isDrift() || s.action() == RepairAction.FAILED)
                        .collect(Collectors.toList());
        if (drift.isEmpty()) {
            text.append(cause.getMessage());
            return text.toString();
        }
        boolean standby = isStandby(cause);
        text.append(drift.size()).append(" sequence(s) in database ").append(report.database()).append(' ')
                .append(cause.reason() == Reason.REPAIR_FAILED ? "could not be moved forward"
                        : "lag their data" + (standby ? " (checked on a standby: the primary's sequences lag too)"
                                : ""))
                .append(". The application's first inserts through them would collide with ids that already exist ")
                .append("(or, without a unique index, silently duplicate them):\n");
        for (SequenceReport s : drift) {
            text.append(INDENT).append("- ").append(s.displayName());
            String columns = s.columns().stream().filter(FedColumn::compared)
                    .map(c -> c.schema() + "." + c.table() + "." + c.column()).collect(Collectors.joining(", "));
            if (!columns.isEmpty()) {
                text.append(" (feeds ").append(columns).append(')');
            }
            text.append(": ");
            if (s.status() == SequenceStatus.EXHAUSTED) {
                text.append("exhausted").append(s.reason() != null ? ", " + s.reason() : "");
            } else {
                text.append("next value ").append(s.nextValue()).append(", ").append(s.descending() ? "min" : "max")
                        .append(" in use ").append(s.dataBound()).append(", needs at least ")
                        .append(s.requiredNextValue());
                if (s.action() == RepairAction.FAILED && s.reason() != null) {
                    text.append("; repair failed: ").append(s.reason());
                }
            }
            text.append('\n');
        }
        text.append("Allocation rule: ").append(report.allocation()).append(" (seqguard.allocation).");
        String sql = report.toSql();
        if (!sql.isEmpty()) {
            text.append("\n\nStatements that fix it (forward-only, safe to run more than once):\n");
            for (String line : sql.split("\n")) {
                text.append(INDENT).append(line).append('\n');
            }
        }
        return text.toString().stripTrailing();
    }

    private static String action(StartupGuardException cause, Target target) {
        Reason reason = cause.reason();
        AlignmentReport report = cause.report();
        boolean exhausted = report != null && !report.withStatus(SequenceStatus.EXHAUSTED).isEmpty();
        boolean behind = report != null && !report.withStatus(SequenceStatus.BEHIND).isEmpty();
        List<String> actions = new ArrayList<>();
        switch (reason) {
            case DRIFT:
                if (isStandby(cause)) {
                    actions.add("Repair belongs to the primary: start the application against the primary with "
                            + "seqguard.mode=repair, or run '" + target.cli("repair").replace(
                                    target.url != null ? target.url : "<JDBC URL>", "<primary's JDBC URL>")
                            + "'.");
                    actions.add("To start this read-only replica anyway, set " + target.property("on-standby", "warn")
                            + ".");
                } else if (behind) {
                    if (target.mode != GuardMode.REPAIR) {
                        actions.add("Let seqguard move them forward at start-up (forward-only, safe with several "
                                + "instances starting at once): set " + target.property("mode", "repair") + ".");
                    }
                    actions.add("Or move them forward once, before starting the application, with seqguard's command "
                            + "line: " + target.cli("repair") + " (or run the statements above).");
                }
                if (exhausted) {
                    actions.add("An exhausted sequence cannot be repaired by moving it forward: widen the sequence and "
                            + "its column (ALTER SEQUENCE ... AS bigint MAXVALUE ...; ALTER TABLE ... ALTER COLUMN ... "
                            + "TYPE bigint), or, when it is no longer used, leave it out with "
                            + target.property("exclude-sequences", "<schema.sequence>") + ".");
                }
                if (pooledOnly(report)) {
                    actions.add("Some of them are behind only under the 'pooled' allocation rule (Hibernate's pooled "
                            + "optimizer, the strictest). If the application's ids come from another optimizer, set "
                            + target.property("allocation", "plain|pooled-lo|hilo:<block size>") + ".");
                }
                break;
            case REPAIR_FAILED:
                actions.add("Let the connecting role" + (target.user != null ? " (" + target.user + ")" : "")
                        + " move the sequences (GRANT UPDATE ON SEQUENCE ... TO it, or connect as their owner), or "
                        + "give the guard a privileged pool with a SeqguardConfigurationCustomizer bean; then start "
                        + "again: nothing was moved backwards and the guard is safe to run again.");
                actions.add("Or run the statements above as the sequences' owner, or '" + target.cli("repair")
                        + "' with a privileged --user.");
                break;
            case STANDBY:
                actions.add("Point the DataSource at the primary, or set "
                        + target.property("on-standby", "verify|warn|skip") + " for a read-only replica.");
                break;
            case SUBSCRIPTION:
                actions.add("Finish the cutover first, then start again: " + disableStatements(cause) + ".");
                actions.add("To start while replication still feeds the database, set "
                        + target.property("on-enabled-subscription", "verify|proceed|skip") + ".");
                break;
            case LOCK_TIMEOUT:
                actions.add("Another instance is probably still repairing a large database: start again when it is "
                        + "done, or raise " + target.property("lock-wait-timeout", "<duration>")
                        + " (and seqguard.time-limit).");
                break;
            case TIME_LIMIT:
                actions.add("Raise " + target.property("time-limit", "<duration>") + " (and seqguard.statement-timeout "
                        + "for large unindexed tables), or find what blocks the database in pg_stat_activity and "
                        + "pg_locks.");
                break;
            default:
                actions.add("Check the DataSource's URL, user and password (spring.datasource.* for the "
                        + "auto-configured one) and that the server accepts connections.");
                break;
        }
        if (reason != Reason.DRIFT || !behind) {
            actions.add("To start without the guard" + (target.name != null ? " on this DataSource, set seqguard."
                    + "datasources." + target.name + ".enabled=false" : ", set seqguard.enabled=false")
                    + " (not recommended: nothing then stops writes through lagging sequences).");
        }
        return String.join("\n", actions);
    }

    /** Whether a sequence is behind only because the pooled rule asks for a whole increment above the data. */
    private static boolean pooledOnly(AlignmentReport report) {
        if (report == null || report.allocation().kind() != AllocationRule.Kind.POOLED) {
            return false;
        }
        for (SequenceReport s : report.withStatus(SequenceStatus.BEHIND)) {
            if (s.nextValue() != null && s.dataBound() != null && Math.abs(s.increment()) > 1
                    && (s.descending() ? s.nextValue() < s.dataBound() : s.nextValue() > s.dataBound())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isStandby(StartupGuardException cause) {
        return cause.standby();
    }

    /** The statements that end replication into this database, one per enabled subscription the guard found. */
    private static String disableStatements(StartupGuardException cause) {
        if (cause.enabledSubscriptions().isEmpty()) {
            return "ALTER SUBSCRIPTION ... DISABLE for the subscription named above";
        }
        return cause.enabledSubscriptions().stream()
                .map(name -> "ALTER SUBSCRIPTION \"" + name.replace("\"", "\"\"") + "\" DISABLE;")
                .collect(java.util.stream.Collectors.joining(" "));
    }
}
