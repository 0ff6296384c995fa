package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AllocationSource;
import io.seqguard.SequenceStatus;
import io.seqguard.Vocabulary;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verdict on each sequence from what was read: its definition, its state, the bounds of the data it feeds and,
 * when configured, the source's sequence of the same name. No I/O; the arithmetic itself is {@link Arithmetic}'s.
 */
final class Judge {

    private final AlignerConfiguration config;
    /** Whether a framework's ORM step judges the entities' sequences after this run (see the Engine constructor). */
    private final boolean mappingsFollow;

    Judge(AlignerConfiguration config, boolean mappingsFollow) {
        this.config = config;
        this.mappingsFollow = mappingsFollow;
    }

    /** The source's sequences that have no sequence of the same name here (and are not excluded), quoted. */
    List<String> sourceOnly(List<SequenceInfo> sequences, Map<List<String>, SequenceInfo> sources) {
        List<String> result = new ArrayList<>();
        if (sources == null) {
            return result;
        }
        Set<List<String>> here = new HashSet<>();
        for (SequenceInfo s : sequences) {
            here.add(List.of(s.schema, s.name));
        }
        for (String name : config.getExcludedSequences()) {
            here.add(SqlNames.parseQualified(name, "excludeSequences"));
        }
        for (Map.Entry<List<String>, SequenceInfo> entry : sources.entrySet()) {
            if (!here.contains(entry.getKey())) {
                result.add(entry.getValue().ident);
            }
        }
        return result;
    }

    /**
     * What the source's sequence of the same name had handed out, as the next value it would hand out; null (with a
     * note saying why) when there is no source, no such sequence, or it cannot witness.
     */
    private static BigInteger sourceNext(SequenceInfo s, Map<List<String>, SequenceInfo> sources, Judged j) {
        List<String> notes = j.extraNotes;
        if (sources == null) {
            return null;
        }
        SequenceInfo src = sources.get(List.of(s.schema, s.name));
        if (src == null) {
            notes.add("no sequence of that name on the source");
            return null;
        }
        List<String> differences = new ArrayList<>();
        if (!src.dataType.equals(s.dataType)) {
            differences.add("type " + src.dataType + " vs " + s.dataType);
        }
        if (src.increment != s.increment) {
            differences.add("increment " + src.increment + " vs " + s.increment);
        }
        if (src.minValue != s.minValue) {
            differences.add("minvalue " + src.minValue + " vs " + s.minValue);
        }
        if (src.maxValue != s.maxValue) {
            differences.add("maxvalue " + src.maxValue + " vs " + s.maxValue);
        }
        if (src.cycle != s.cycle) {
            differences.add("cycle " + src.cycle + " vs " + s.cycle);
        }
        if (!differences.isEmpty()) {
            notes.add("its definition differs from the source's (source vs here): " + String.join(", ", differences));
        }
        if (Long.signum(src.increment) != Long.signum(s.increment)) {
            notes.add("the source's sequence counts the other way, so it cannot witness this one");
            return null;
        }
        if (src.skipReason != null || src.state == null) {
            j.sourceUnread = true;
            notes.add("the source's sequence could not be read, so only the data witnesses it: "
                    + (src.skipReason != null ? src.skipReason : src.stateError));
            return null;
        }
        // the source's own increment: the value it would hand out next, below which anything may exist somewhere
        return src.state.next(src.increment);
    }

    Judged judge(SequenceInfo s, Map<List<String>, SequenceInfo> sources) {
        Judged j = new Judged(s);
        Allocations.choose(j, config);
        j.extraNotes.addAll(s.mappingNotes);
        j.blocksOverlap = Allocations.overlap(j);
        return checkBlocks(read(j, s, sources));
    }

    /**
     * What else the role lacks for a sequence it cannot verify, so that one round of GRANTs does: the tables it may
     * not read (when the sequence itself could not be read, they were not looked at) and UPDATE for a repair.
     */
    private static String alsoLacking(SequenceInfo s, boolean withColumns) {
        List<String> more = new ArrayList<>();
        if (withColumns) {
            for (ColumnInfo c : s.columns) {
                if (c.unreadable) {
                    more.add("it also feeds " + c.qualifiedName() + ": " + c.note);
                }
            }
        }
        if (s.exists && !s.canUpdate) {
            more.add("a repair also needs GRANT UPDATE ON SEQUENCE " + s.ident + " TO " + s.role);
        }
        return more.isEmpty() ? "" : "; " + String.join("; ", more);
    }

    /** The verdict from what was read. */
    private Judged read(Judged j, SequenceInfo s, Map<List<String>, SequenceInfo> sources) {
        if (s.skipReason != null) {
            j.status = s.noPrivilege ? SequenceStatus.NO_PRIVILEGE : SequenceStatus.SKIPPED;
            j.reason = s.skipReason + (s.noPrivilege ? alsoLacking(s, true) : "");
            return j;
        }
        j.sourceNext = sourceNext(s, sources, j);
        if (s.state != null) {
            j.next = s.state.next(s.increment);
        }
        List<ColumnInfo> compared = new ArrayList<>();
        for (ColumnInfo c : s.columns) {
            if (c.compared) {
                compared.add(c);
            }
        }
        j.low = BigInteger.valueOf(s.minValue);
        j.high = BigInteger.valueOf(s.maxValue);
        for (ColumnInfo c : compared) {
            if (c.typeMax() != null) {
                j.high = j.high.min(BigInteger.valueOf(c.typeMax()));
                j.low = j.low.max(BigInteger.valueOf(c.typeMin()));
            }
        }
        if (!s.columns.isEmpty() && s.columns.stream().allMatch(c -> c.excluded)) {
            j.status = SequenceStatus.SKIPPED;
            j.reason = "every table it feeds is excluded by configuration ("
                    + config.getVocabulary().name("excludeTables") + ")";
            return j;
        }
        // a table the role may not read (or not every row of) could hold the highest id: judging by the others would
        // be a guess
        List<String> unreadable = new ArrayList<>();
        for (ColumnInfo c : s.columns) {
            if (c.unreadable) {
                unreadable.add(c.qualifiedName() + ": " + c.note);
            }
        }
        if (!unreadable.isEmpty()) {
            j.status = SequenceStatus.NO_PRIVILEGE;
            j.reason = "it feeds " + (unreadable.size() == 1 ? "a column" : "columns")
                    + " the connecting role may not read in full, which may hold higher ids: "
                    + String.join("; ", unreadable) + alsoLacking(s, false);
            return j;
        }
        if (compared.isEmpty()) {
            if (j.sourceNext != null && j.next != null) {
                // no data to compare, but the source witnesses what was handed out
                j.extraNotes.add(s.columns.isEmpty() ? "no column uses it: judged by the source alone"
                        : "none of the columns it feeds can be compared (" + notes(s.columns)
                                + "): judged by the source alone");
                j.verdict = Arithmetic.judge(s.increment, j.low, j.high, j.next, null, j.sourceNext, j.rules,
                        config.getMargin());
                j.status = j.verdict.status();
                j.reason = j.verdict.reason();
                return j;
            }
            if (j.sourceNext != null) {
                return stateUnknown(j, s);
            }
            j.status = SequenceStatus.NOT_VERIFIABLE;
            // a source that has the sequence but could not be read this run would have witnessed it
            j.unverifiableByAnyRead = !j.sourceUnread;
            Vocabulary words = config.getVocabulary();
            j.reason = s.columns.isEmpty()
                    ? (mappingsFollow ? "no column uses it yet (a Hibernate entity's sequence needs no mapping or "
                            + "acknowledgement: the ORM step judges it); if no entity uses it (a value handed out by "
                            + "application code?), map" : "no column uses it (a value handed out by application "
                            + "code?): map") + " it to the column it fills ("
                            + words.setting("mappings", s.shown() + "=SCHEMA.TABLE.COLUMN") + ")"
                            + (config.getSource() == null ? ", give the old primary as a witness ("
                                    + words.name("source") + ")" : "")
                    : "none of the columns it feeds can be compared: " + notes(s.columns);
            j.acknowledgeAdvice = s.columns.isEmpty()
                    ? ", or acknowledge that it is not verified (" + words.setting("allowUnverified", s.shown()) + ")"
                    : "; acknowledge that it is not verified with " + words.setting("allowUnverified", s.shown());
            return j;
        }
        if (j.next == null) {
            return stateUnknown(j, s);
        }
        BigDecimal bound = null;
        for (ColumnInfo c : compared) {
            if (!c.readDirectly) {
                continue;
            }
            BoundReader.Read read = c.read;
            if (read.error != null) {
                j.status = read.noPrivilege ? SequenceStatus.NO_PRIVILEGE : SequenceStatus.NOT_VERIFIABLE;
                j.reason = read.error;
                return j;
            }
            if (read.value != null) {
                bound = bound == null ? read.value
                        : s.descending() ? bound.min(read.value) : bound.max(read.value);
            }
        }
        j.bound = bound;
        if (bound != null && outsideLong(bound)) {
            j.status = SequenceStatus.EXHAUSTED;
            j.reason = "the data holds " + bound.toPlainString() + ", beyond any sequence value";
            return j;
        }
        if (s.citus != null) {
            s.citus.judge(j, config);
            return j;
        }
        j.verdict = Arithmetic.judge(s.increment, j.low, j.high, j.next, bound, j.sourceNext, j.rules,
                config.getMargin());
        j.status = j.verdict.status();
        j.reason = j.verdict.reason();
        return j;
    }

    /**
     * A sequence whose blocks overlap hands out ids that exist however far it is moved: mismatched, never repaired.
     * One that could not be read keeps its status and gets the finding as a note.
     */
    private static Judged checkBlocks(Judged j) {
        if (j.blocksOverlap == null) {
            return j;
        }
        if (j.status == SequenceStatus.ALIGNED || j.status == SequenceStatus.BEHIND
                || j.status == SequenceStatus.EMPTY) {
            j.status = SequenceStatus.MISMATCHED;
            j.reason = j.blocksOverlap;
        } else if (!j.status.isDrift() && j.status != SequenceStatus.SKIPPED) {
            j.extraNotes.add(j.blocksOverlap);
        }
        return j;
    }

    /**
     * A sequence discovered mappings name that the database lacks: not verifiable, with the entities, the columns
     * they fill, and the fix.
     */
    Judged missing(Mappings.Missing m) {
        Judged j = new Judged(m.sequence());
        for (io.seqguard.SequenceMapping mapping : m.mappings()) {
            if (mapping.allocation() != null) {
                j.sequence.allocations.add(new Mappings.Allocation(mapping.allocation(), AllocationSource.ENTITY,
                        mapping.entity()));
            }
        }
        Allocations.choose(j, config);
        List<String> uses = new ArrayList<>();
        for (io.seqguard.SequenceMapping mapping : m.mappings()) {
            String use = "entity " + mapping.entity() + " (into " + mapping.table() + "." + mapping.column() + ")";
            if (!uses.contains(use)) {
                uses.add(use);
            }
        }
        int block = j.allocation.blockSize() > 0 ? j.allocation.blockSize() : 1;
        Vocabulary words = config.getVocabulary();
        j.status = SequenceStatus.NOT_VERIFIABLE;
        j.unverifiableByAnyRead = true;
        j.reason = "it does not exist" + (m.searchPath().isEmpty() ? ""
                : " (looked up through the search_path " + Mappings.path(m.searchPath()) + ")") + ", yet "
                + String.join(", ", uses) + " takes its ids from it: those inserts fail. Create it (CREATE SEQUENCE "
                + m.sequence().ident + " INCREMENT BY " + block + " START WITH a value above the column's maximum), "
                + "or point the entity's generator at the sequence that exists (its name, the naming strategy, the "
                + "default schema)";
        j.acknowledgeAdvice = "; or acknowledge it (" + words.setting("allowUnverified", m.sequence().shown()) + ")";
        return j;
    }

    /** Its state could not be read: nothing can be said about it. */
    private static Judged stateUnknown(Judged j, SequenceInfo s) {
        j.status = s.noPrivilege ? SequenceStatus.NO_PRIVILEGE : SequenceStatus.NOT_VERIFIABLE;
        j.reason = s.stateError;
        return j;
    }

    private static boolean outsideLong(BigDecimal value) {
        return value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                || value.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0;
    }

    private static String notes(List<ColumnInfo> columns) {
        List<String> notes = new ArrayList<>();
        for (ColumnInfo c : columns) {
            notes.add(c.qualifiedName() + ": " + c.note);
        }
        return String.join("; ", notes);
    }
}
