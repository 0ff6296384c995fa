package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.AlignmentReport;
import io.seqguard.AllocationRule;
import io.seqguard.ColumnSource;
import io.seqguard.FedColumn;
import io.seqguard.GuardMode;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.StartupGuardException;
import io.seqguard.StartupGuardException.Reason;
import io.seqguard.UnknownObjectException;
import io.seqguard.Vocabulary;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a refusal of seqguard's startup guard into Spring Boot's "APPLICATION FAILED TO START" report. The
 * description is the guard's own message (which sequences, why, what fixes each), already in this application's
 * words ({@code seqguard.*} properties); the action adds what only the application knows: the property to set for
 * this DataSource, the command line with its URL, the switch that turns the guard off. Registered in
 * {@code META-INF/spring.factories} under {@code org.springframework.boot.diagnostics.FailureAnalyzer}.
 */
class SeqguardFailureAnalyzer extends AbstractFailureAnalyzer<StartupGuardException> {

    /** What ties a column to its sequence outside the catalog: the command line sees these only through --map. */
    private static final Set<ColumnSource> MAPPINGS = EnumSet.of(ColumnSource.MAPPED, ColumnSource.ENTITY);

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupGuardException cause) {
        Target target = new Target(findCause(rootFailure, SeqguardStartupException.class));
        return new FailureAnalysis(description(cause, target), action(cause, target), cause);
    }

    /** What the analysis knows about the DataSource; all may be unknown for a guard run outside the starter. */
    private static final class Target {
        final String name;
        final String url;
        final String user;
        final GuardMode mode;
        final String prefix;
        final boolean beforeOrmStep;

        Target(SeqguardStartupException context) {
            this.name = context != null ? context.getDataSourceName() : null;
            this.url = context != null ? context.getJdbcUrl() : null;
            this.user = context != null ? context.getUsername() : null;
            this.mode = context != null ? context.getMode() : null;
            this.prefix = context != null ? context.getPropertyPrefix() : PropertyCheck.PREFIX;
            this.beforeOrmStep = context != null && context.isBeforeOrmStep();
        }

        /**
         * The property to set: this DataSource's own when it has its own settings, else the global one with the
         * DataSource's own as the alternative.
         */
        String property(String key, String value) {
            String own = prefix + key + "=" + value;
            if (name == null || !prefix.equals(PropertyCheck.PREFIX)) {
                return own;
            }
            return own + " (for this DataSource only: " + PropertyCheck.DATASOURCES + name + "." + key + "=" + value
                    + ")";
        }

        String cli(String verb, String url) {
            return cli(verb, url, user);
        }

        String cli(String verb) {
            return cli(verb, this.url != null ? this.url : "<JDBC URL>");
        }

        /** The command as another role than the application's: {@code role} in its words, such as a placeholder. */
        String cliAs(String verb, String role) {
            return cli(verb, this.url != null ? this.url : "<JDBC URL>", role);
        }

        private static String cli(String verb, String url, String role) {
            return "java -jar seqguard.jar " + verb + " --url " + url + (role != null ? " --user " + role : "");
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
        return text.append(".\n\n").append(cause.getMessage()).toString();
    }

    private static String action(StartupGuardException cause, Target target) {
        Reason reason = cause.reason();
        AlignmentReport report = cause.report();
        boolean behind = report != null && !report.withStatus(SequenceStatus.BEHIND).isEmpty();
        List<String> actions = new ArrayList<>();
        // the refusal came before Hibernate's metamodel: what only an entity ties to a table looks unused
        List<SequenceReport> ormJudged = target.beforeOrmStep ? cause.unverifiedForWantOfMappings() : List.of();
        switch (reason) {
            case DRIFT:
                drift(cause, target, report, behind, actions);
                break;
            case INCOMPLETE:
                ormStep(cause, ormJudged, actions);
                List<String> acknowledgeable = report == null ? List.of("<schema.sequence>")
                        : cause.acknowledgeable(!ormJudged.isEmpty());
                String make = "Make each " + (ormJudged.isEmpty() ? "" : "other ") + "sequence above verifiable as "
                        + "its line says";
                actions.add(acknowledgeable.isEmpty() ? make + "." : make + ", or acknowledge the ones that are "
                        + "knowingly not verified (a value only application code hands out): set "
                        + target.property("allow-unverified", String.join(",", acknowledgeable)) + ".");
                if (report != null && report.unverified().stream()
                        .anyMatch(s -> s.status() == SequenceStatus.NO_PRIVILEGE)) {
                    // an application's role often may not read everything (row-level security, no GRANT), as a
                    // migration tool's user may
                    actions.add("Where the connecting role" + (target.user != null ? " (" + target.user + ")" : "")
                            + " may not read a table, or every row of it (no privilege above), the guard can use "
                            + "another pool: a SeqguardConfigurationCustomizer bean calling guard.dataSource(...) "
                            + "with the tables' owner, or a role of its own with BYPASSRLS where row-level security "
                            + "applies.");
                }
                actions.add("To start while they stay unverified (the health endpoint then lists them), set "
                        + target.property("on-incomplete", "warn") + ".");
                break;
            case REPAIR_FAILED:
                actions.add("Let the connecting role" + (target.user != null ? " (" + target.user + ")" : "")
                        + " move the sequences (GRANT UPDATE ON SEQUENCE ... TO it, or connect as their owner), or "
                        + "give the guard a privileged pool with a SeqguardConfigurationCustomizer bean; then start "
                        + "again: nothing was moved backwards and the guard is safe to run again.");
                // the application's role is the one that could not: the command runs as one that can
                actions.add("Or run '" + target.cliAs("repair", "<a role that owns the sequences>") + "'.");
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
                        + "done, or raise " + target.property("lock-wait-timeout", "<duration>") + " (and "
                        + target.prefix + "time-limit).");
                break;
            case TIME_LIMIT:
                actions.add("Raise " + target.property("time-limit", "<duration>") + " (and " + target.prefix
                        + "statement-timeout for large unindexed tables), or find what blocks the database in "
                        + "pg_stat_activity and pg_locks.");
                break;
            default:
                if (causedBy(cause, UnknownObjectException.class)) {
                    actions.add("Correct the name in the setting above: it names an object this database does not "
                            + "have, and nothing was read or moved."
                            + (target.name != null ? " If the name is right for other DataSource beans ("
                                    + PropertyCheck.PREFIX + "* applies to every one), give DataSource '" + target.name
                                    + "' its own value under " + PropertyCheck.DATASOURCES + target.name
                                    + ".* (an empty value clears a list)." : ""));
                } else {
                    actions.add("Check the DataSource's URL, user and password (spring.datasource.* for the "
                            + "auto-configured one) and that the server accepts connections.");
                }
                break;
        }
        if (reason != Reason.INCOMPLETE) {
            ormStep(cause, ormJudged, actions);
        }
        if (reason != Reason.DRIFT || !behind) {
            actions.add("To start without the guard" + (target.name != null ? " on this DataSource, set "
                    + PropertyCheck.DATASOURCES + target.name + ".enabled=false" : ", set seqguard.enabled=false")
                    + " (not recommended: nothing then stops writes through sequences that lag).");
        }
        return String.join("\n", actions);
    }

    /** Says that the ORM step, which start-up did not reach, would judge the sequences only an entity may use. */
    private static void ormStep(StartupGuardException cause, List<SequenceReport> ormJudged, List<String> actions) {
        if (!ormJudged.isEmpty()) {
            actions.add(cause.beforeOrmStepNote());
        }
    }

    private static void drift(StartupGuardException cause, Target target, AlignmentReport report, boolean behind,
            List<String> actions) {
        if (cause.standby()) {
            actions.add("Repair belongs to the primary: start the application against the primary with "
                    + target.prefix + "mode=repair, or run '" + target.cli("repair", "<primary's JDBC URL>") + "'.");
            actions.add("To start this read-only replica anyway, set " + target.property("on-standby", "warn") + ".");
        } else if (behind) {
            if (target.mode != GuardMode.REPAIR) {
                actions.add("Let seqguard move them forward at start-up (forward-only, safe with several instances "
                        + "starting at once): set " + target.property("mode", "repair") + ".");
            }
            actions.add("Or move them forward once, before starting the application, with seqguard's command line: "
                    + target.cli("repair") + mapOptions(report) + " (or run the statements above).");
        }
        if (report != null && !report.withStatus(SequenceStatus.EXHAUSTED).isEmpty()) {
            actions.add("An exhausted sequence cannot be repaired by moving it forward: give it room as its line says "
                    + "(raise its own MAXVALUE where that ends its range first; else widen the sequence and its "
                    + "column: ALTER SEQUENCE ... AS bigint MAXVALUE ...; ALTER TABLE ... ALTER COLUMN ... TYPE "
                    + "bigint), then start again; or, when it is no longer used, leave it out with "
                    + target.property("exclude-sequences", "<schema.sequence>") + ".");
        }
        if (report != null && !report.withStatus(SequenceStatus.MISMATCHED).isEmpty()) {
            actions.add("A mismatched sequence cannot be repaired by moving it forward: change its increment "
                    + "(ALTER SEQUENCE ... INCREMENT BY the entity's allocationSize) or the entity's allocationSize, "
                    + "as its line says, then start again.");
        }
        if (pooledOnly(report)) {
            actions.add("Some of them are behind only under the 'pooled' allocation rule (Hibernate's pooled "
                    + "optimizer, the strictest). If the application's ids come from another optimizer, set "
                    + target.property("allocation", "plain|pooled-lo|hilo:<block size>") + ".");
        }
    }

    /**
     * The command line's {@code --map} options for the columns that only a mapping ties to the sequences behind (an
     * entity's, a {@code seqguard.mappings} entry): without them the command line would find those sequences used by
     * no column, and leave them unverified.
     */
    private static String mapOptions(AlignmentReport report) {
        StringBuilder options = new StringBuilder();
        for (SequenceReport s : report.withStatus(SequenceStatus.BEHIND)) {
            for (FedColumn c : s.columns()) {
                if (MAPPINGS.containsAll(c.sources())) {
                    options.append(" --map ")
                            .append(Vocabulary.shellWord(s.qualifiedName() + "=" + c.qualifiedColumn()));
                }
            }
        }
        return options.toString();
    }

    /**
     * Whether a sequence is behind only because the configured (or default) pooled rule asks for a whole increment
     * above the data; a sequence whose entity's generator decided is behind whatever the property says.
     */
    private static boolean pooledOnly(AlignmentReport report) {
        if (report == null) {
            return false;
        }
        for (SequenceReport s : report.withStatus(SequenceStatus.BEHIND)) {
            if (s.allocationSource() != io.seqguard.AllocationSource.ENTITY
                    && s.allocation().kind() == AllocationRule.Kind.POOLED && s.nextValue() != null
                    && s.dataBound() != null && Math.abs(s.increment()) > 1
                    && (s.descending() ? s.nextValue() < s.dataBound() : s.nextValue() > s.dataBound())) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The statements that end replication into this database, one per enabled subscription the guard found. */
    private static String disableStatements(StartupGuardException cause) {
        if (cause.enabledSubscriptions().isEmpty()) {
            return "ALTER SUBSCRIPTION ... DISABLE for the subscription named above";
        }
        return cause.enabledSubscriptions().stream()
                .map(name -> "ALTER SUBSCRIPTION \"" + name.replace("\"", "\"\"") + "\" DISABLE;")
                .collect(Collectors.joining(" "));
    }
}
