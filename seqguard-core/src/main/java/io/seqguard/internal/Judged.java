package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AllocationRule;
import io.seqguard.AllocationSource;
import io.seqguard.FedColumn;
import io.seqguard.Operation;
import io.seqguard.RepairAction;
import io.seqguard.SequenceReport;
import io.seqguard.SequenceStatus;
import io.seqguard.Witness;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One sequence on its way to a report: its verdict, what a repair did to it, and the notes it gathered. */
final class Judged {

    final SequenceInfo sequence;
    SequenceStatus status;
    String reason;
    /** How to acknowledge it ({@code allowUnverified}), added to the reason unless the configuration already does. */
    String acknowledgeAdvice = "";
    /**
     * Whether no read can verify it: no column uses it, none of its columns can be compared, it does not exist. Only
     * then does {@code allowUnverified all} acknowledge it ({@link Acknowledgements}).
     */
    boolean unverifiableByAnyRead;
    /** Whether the source has a sequence of its name that could not be read this run. */
    boolean sourceUnread;
    BigInteger next;
    BigInteger previousNext;
    BigInteger low;
    BigInteger high;
    BigDecimal bound;
    BigInteger sourceNext;
    Arithmetic.Verdict verdict;
    RepairAction action = RepairAction.NONE;
    Repairer.Outcome outcome;
    final List<String> extraNotes = new ArrayList<>();
    /** The allocation rules that apply (several when entities sharing the sequence differ), and their source. */
    List<AllocationRule> rules = List.of();
    AllocationSource allocationSource = AllocationSource.DEFAULT;
    /** The rule reported: the one that decided, or the first. */
    AllocationRule allocation;
    /** The entities behind each rule, from discovered mappings. */
    Map<AllocationRule, List<String>> entitiesByRule = Map.of();
    /** Why its id blocks overlap, with the fix; null when they do not. */
    String blocksOverlap;

    Judged(SequenceInfo sequence) {
        this.sequence = sequence;
    }

    String sql() {
        return verdict != null && verdict.targetLast() != null
                ? Repairer.statement(sequence, verdict.targetLast()) : null;
    }

    SequenceReport toReport(Operation operation, AlignerConfiguration config, Acknowledgements acknowledgements) {
        SequenceInfo s = sequence;
        List<FedColumn> columns = new ArrayList<>();
        for (ColumnInfo c : s.columns) {
            columns.add(new ColumnResult(c.schema, c.table, c.column, c.tableIdent, c.dataType, c.sources,
                    c.compared, c.note, c.citusTable, c.entities));
        }
        String sql = null;
        if (status == SequenceStatus.BEHIND && operation == Operation.PLAN) {
            action = RepairAction.PLANNED;
            sql = sql();
        } else if (outcome != null && outcome.sql != null) {
            sql = outcome.sql;
        } else if (action == RepairAction.FAILED) {
            sql = sql();
        }
        Double used = rangeUsed();
        List<String> notes = new ArrayList<>(s.notes);
        notes.addAll(extraNotes);
        if (s.cycle && status == SequenceStatus.EXHAUSTED) {
            notes.add("it cycles: past its last value nextval() starts again at "
                    + (s.descending() ? s.maxValue : s.minValue) + ", into ids already in use");
        }
        String widen = widerBound();
        if (status == SequenceStatus.EXHAUSTED && widen != null) {
            notes.add("its own " + (s.descending() ? "MINVALUE" : "MAXVALUE") + " ends its range before its type and "
                    + "the columns it feeds do: " + widen + ROOM);
        } else if (used != null && used >= config.getCapacityWarning()) {
            notes.add(String.format(Locale.ROOT, "%.1f%% of its range is used (it ends at %s): %s before it runs "
                    + "out", used * 100, s.descending() ? low : high, widen != null
                    ? "raise its " + (s.descending() ? "MINVALUE" : "MAXVALUE") + " (" + widen + ")"
                    : "plan a wider type"));
        }
        if (status == SequenceStatus.BEHIND && operation != Operation.REPAIR && Repairer.missingPrivilege(s) != null) {
            // a plan's statement, or the repair a verify calls for, would fail as this role: say so before it is run
            notes.add(Repairer.missingPrivilege(s));
        }
        if (verdict != null && verdict.marginNarrowed()) {
            notes.add("the margin was narrowed to stay within the sequence's range");
        }
        boolean acknowledged = status.isUnverified() && acknowledgements.covers(s, unverifiableByAnyRead);
        String advice = acknowledgeAdvice;
        if (status.isUnverified() && !acknowledged && acknowledgements.all()) {
            // instead of the usual advice: all is set already, and does not cover this one
            String option = config.getVocabulary().name("allowUnverified");
            advice = "; " + config.getVocabulary().setting("allowUnverified", "all") + " does not cover it: all "
                    + "acknowledges only sequences that no column and no witness can verify, and this one was left "
                    + "unverified by what this run could not read or judge. Fix that, or add its name to " + option
                    + " beside all to acknowledge it anyway ("
                    + config.getVocabulary().settings("allowUnverified", List.of("all", s.shown())) + ")";
        }
        return new SequenceResult(s.schema, s.name, s.ident, s.dataType, s.increment, s.minValue, s.maxValue,
                s.cycle, columns, toLong(previousNext), toLong(next),
                bound == null ? null : wholeBound(bound, s.descending()),
                verdict == null ? null : toLong(verdict.requiredNext()), status,
                acknowledged || reason == null ? reason : reason + advice, action, sql, used,
                notes, verdict == null ? Witness.NONE : verdict.witness(), toLong(sourceNext), acknowledged,
                s.citus == null ? null : s.citus.rangeStart(), s.citus == null ? null : s.citus.rangeEnd(), s.exists,
                verdict != null ? verdict.rule() : allocation, allocationSource, s.oid,
                status.isUnverified() && !unverifiableByAnyRead);
    }

    /** How the note on a sequence its own MAXVALUE (MINVALUE) exhausts goes on after the statement that fixes it. */
    private static final String ROOM = " gives it room, then a repair can move it";

    /**
     * {@return the statement that gives an exhausted sequence room when its own MAXVALUE (MINVALUE) ends its range
     * first, as its note says; null when its type or a column it feeds is the limit, so that widening them is the way}
     */
    static String roomStatement(SequenceReport s) {
        for (String note : s.notes()) {
            int end = note.lastIndexOf(ROOM);
            int start = note.indexOf("ALTER SEQUENCE ");
            if (end > 0 && start >= 0 && start < end && note.startsWith("its own ")) {
                return note.substring(start, end);
            }
        }
        return null;
    }

    /**
     * For a sequence whose own MAXVALUE (MINVALUE when descending) ends its range before its type and the columns it
     * feeds do, the statement that takes it to their end; null when they are the limit, or nothing is known. Every
     * integer column it feeds counts, compared or not (one excluded or unreadable still takes only its type's values);
     * on a Citus node the node's slice, not the type, bounds it, and nothing is said.
     */
    private String widerBound() {
        SequenceInfo s = sequence;
        if (low == null || high == null || s.citus != null) {
            return null;
        }
        boolean descending = s.descending();
        BigInteger own = BigInteger.valueOf(descending ? s.minValue : s.maxValue);
        if (!own.equals(descending ? low : high)) {
            return null;
        }
        // a sequence's type is one of the three integer types, by the name format_type gives it
        int type = switch (s.dataType) {
            case "smallint" -> ColumnInfo.INT2;
            case "integer" -> ColumnInfo.INT4;
            default -> ColumnInfo.INT8;
        };
        BigInteger end = BigInteger.valueOf(descending ? ColumnInfo.typeMin(type) : ColumnInfo.typeMax(type));
        for (ColumnInfo c : s.columns) {
            if (c.typeMax() != null) {
                end = descending ? end.max(BigInteger.valueOf(c.typeMin())) : end.min(BigInteger.valueOf(c.typeMax()));
            }
        }
        BigInteger needed = verdict == null ? null : verdict.requiredNext();
        if (own.equals(end) || needed != null && (descending ? needed.compareTo(end) < 0 : needed.compareTo(end) > 0)) {
            // no room up to where its type and columns end, or not enough for the data: widening them is the way
            return null;
        }
        return "ALTER SEQUENCE " + s.ident + (descending ? " MINVALUE " : " MAXVALUE ") + end;
    }

    /**
     * The share of its range the sequence has used, from the furthest of its next value and the data's bound: data
     * copied in with explicit ids has used the range as much as nextval() would have, and a verify must show it
     * before any repair does.
     */
    private Double rangeUsed() {
        if (low == null) {
            return null;
        }
        BigInteger furthest = next;
        if (bound != null) {
            BigInteger whole = bound.setScale(0, sequence.descending() ? RoundingMode.FLOOR : RoundingMode.CEILING)
                    .toBigInteger();
            furthest = furthest == null ? whole : sequence.descending() ? furthest.min(whole) : furthest.max(whole);
        }
        return furthest == null ? null : Arithmetic.rangeUsed(sequence.increment, low, high, furthest);
    }

    private static Long toLong(BigInteger value) {
        return value == null || value.bitLength() > 63 ? null : value.longValue();
    }

    /** The whole number the sequence must get past: 10.5 needs 11 ascending, -10.5 needs -11 descending. */
    private static Long wholeBound(BigDecimal value, boolean descending) {
        return toLong(value.setScale(0, descending ? RoundingMode.FLOOR : RoundingMode.CEILING).toBigInteger());
    }
}
