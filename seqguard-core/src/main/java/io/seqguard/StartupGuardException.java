package io.seqguard;

import io.seqguard.internal.ReportDetails;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link StartupGuard} refused start-up. The message says what was found, on which objects, and what to do; for
 * drift it lists each lagging sequence and the statement that fixes it.
 */
public class StartupGuardException extends SeqguardException {

    private static final long serialVersionUID = 1L;

    /** Why start-up was refused. */
    public enum Reason {
        /** Sequences lag their data (mode verify, or what a repair could not change, such as an exhausted sequence). */
        DRIFT,
        /**
         * Some sequence could not be verified and is not acknowledged, while nothing read lags
         * ({@link IncompleteAction#FAIL}).
         */
        INCOMPLETE,
        /** A repair could not move some sequences (missing privilege, lost connection, lock timeout). */
        REPAIR_FAILED,
        /** The server is a standby: repair belongs to the primary ({@link StandbyAction}). */
        STANDBY,
        /** An enabled subscription still feeds the database ({@link SubscriptionAction#REFUSE}). */
        SUBSCRIPTION,
        /**
         * PostgreSQL 19+: a subscription, enabled or not, still has sequences waiting for their first synchronization,
         * which would set the publisher's values and undo a repair ({@link GuardConfiguration#onPendingSequenceSync}).
         */
        SEQUENCE_SYNC,
        /** Another instance held the seqguard lock longer than {@link GuardConfiguration#lockWaitTimeout}. */
        LOCK_TIMEOUT,
        /** The guard did not finish within {@link GuardConfiguration#timeLimit}. */
        TIME_LIMIT,
        /** The database could not be reached or read. */
        DATABASE_ERROR
    }

    /** Why start-up was refused. */
    private final Reason reason;
    private final transient AlignmentReport report;
    /** Whether the server turned out to be a standby. */
    private final boolean standby;
    /** The enabled subscriptions found in the database. */
    private final List<String> enabledSubscriptions;

    StartupGuardException(Reason reason, String message, AlignmentReport report, Throwable cause,
            boolean standby, List<String> enabledSubscriptions) {
        super(message, cause);
        this.reason = reason;
        this.report = report;
        this.standby = standby;
        this.enabledSubscriptions = List.copyOf(enabledSubscriptions);
    }

    /** {@return whether the server is a standby (in recovery); false when the guard did not get that far} */
    public boolean standby() {
        return standby;
    }

    /**
     * {@return the enabled subscriptions found in the database; empty when none, or when the guard did not get that
     * far}
     */
    public List<String> enabledSubscriptions() {
        return enabledSubscriptions;
    }

    /** {@return why start-up was refused} */
    public Reason reason() {
        return reason;
    }

    /** {@return the report behind the refusal (drift, failed repairs); null when there is none} */
    public AlignmentReport report() {
        return report;
    }

    /**
     * {@return whether the run was refused only because sequences that no column uses could not be verified} Mappings
     * that tie those sequences to their tables may verify them: an ORM's entities, which a framework's ORM step adds
     * by running the guard again ({@link StartupGuard#runAgain(AlignmentReport)}). A framework waits for that step on
     * such a refusal alone; any other (drift, a table locked past the lock timeout, a missing GRANT) no mapping
     * changes, so it stops start-up at once.
     */
    public boolean isOnlyForWantOfMappings() {
        return reason == Reason.INCOMPLETE && report != null
                && unverifiedForWantOfMappings().size() == report.unverified().size();
    }

    /**
     * {@return the unverified sequences that a mapping may verify ({@link SequenceReport#usedByNoColumn()}: not for
     * want of a privilege or a read, which a mapping does not give), in report order; empty without a report} A refusal
     * that came before a framework's ORM step lists an ORM entity's sequence among them.
     */
    public List<SequenceReport> unverifiedForWantOfMappings() {
        if (report == null) {
            return List.of();
        }
        List<SequenceReport> wanting = new ArrayList<>();
        for (SequenceReport s : report.unverified()) {
            if (s.usedByNoColumn()) {
                wanting.add(s);
            }
        }
        return wanting;
    }

    /**
     * {@return for a refusal that came before a framework's ORM step (which would have run the guard again with the
     * entities' mappings), the sentence saying that the {@link #unverifiedForWantOfMappings()} ones an entity uses
     * need no mapping; empty when there are none} The Spring Boot starter's failure analysis and seqguard-micronaut's
     * message both say it.
     */
    public String beforeOrmStepNote() {
        int count = unverifiedForWantOfMappings().size();
        return count == 0 ? "" : "Of the " + count + " sequence(s) above that no column uses, those a Hibernate "
                + "entity uses need no mapping: the ORM step, which start-up did not reach, judges them with the "
                + "entities' mappings once what stopped start-up here is fixed.";
    }

    /**
     * {@return for a refusal that came before a framework's ORM step, the names that acknowledge its unverified
     * sequences ({@link AlignmentReport#acknowledgingAll()}) without the ones the ORM step would judge ({@link
     * #unverifiedForWantOfMappings()}): acknowledged now, an entity's sequence would stay unverified for good; empty
     * without a report}
     */
    public List<String> acknowledgingAllBeforeOrmStep() {
        if (report == null) {
            return List.of();
        }
        List<String> ormJudged = new ArrayList<>();
        for (SequenceReport s : unverifiedForWantOfMappings()) {
            ormJudged.add(s.qualifiedName());
        }
        List<String> names = new ArrayList<>(report.acknowledgingAll());
        names.removeAll(ormJudged);
        return names;
    }

    /**
     * {@return the unverified sequences whose data this run could not read, in report order ({@link
     * AlignmentReport#unverifiedForWantOfReads()}); empty without a report} A refusal says to make them readable and
     * its advice offers no acknowledgement for them.
     */
    public List<SequenceReport> unverifiedForWantOfReads() {
        return report == null ? List.of() : report.unverifiedForWantOfReads();
    }

    /**
     * {@return the names a refusal's advice offers for {@code allowUnverified}:
     * {@link AlignmentReport#acknowledgingAll()} (before a framework's ORM step
     * {@link #acknowledgingAllBeforeOrmStep()}) without the
     * {@link #unverifiedForWantOfReads()} ones; empty when that leaves no unverified sequence to acknowledge, or
     * without a report}
     *
     * @param beforeOrmStep whether the refusal came before a framework's ORM step, which judges the entities'
     *     sequences
     */
    public List<String> acknowledgeable(boolean beforeOrmStep) {
        if (report == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(beforeOrmStep ? acknowledgingAllBeforeOrmStep()
                : report.acknowledgingAll());
        for (SequenceReport s : report.unverifiedForWantOfReads()) {
            names.remove(s.qualifiedName());
        }
        boolean anyOffered = false;
        for (SequenceReport s : report.unverified()) {
            anyOffered |= names.contains(s.qualifiedName());
        }
        return anyOffered ? names : List.of();
    }

    /**
     * The facts a health endpoint shows for a refused start-up, with the same keys in every framework module, as
     * {@link GuardResult#toDetails()} does for a run that passed: status ({@code DOWN}), reason, standby,
     * enabledSubscriptions (when any), and from the report behind it verdict, allocation, counts (by status, as in
     * the JSON report), maxRangeUsed, unverified, acknowledged and dataUnread (when any); last, error (the message).
     *
     * @return a new, ordered, modifiable map of JSON-friendly values
     */
    public Map<String, Object> toDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", "DOWN");
        details.put("reason", reason.name().toLowerCase(Locale.ROOT));
        details.put("standby", standby);
        if (!enabledSubscriptions.isEmpty()) {
            details.put("enabledSubscriptions", enabledSubscriptions);
        }
        if (report != null) {
            ReportDetails.put(details, report, List.of());
        }
        details.put("error", getMessage());
        return details;
    }
}
