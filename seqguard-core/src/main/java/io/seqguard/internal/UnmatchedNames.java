package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.Vocabulary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names an exclusion or an acknowledgement gives that match nothing the run read. Such a name is almost always a
 * typo or a missing schema ({@code invoice_seq} means {@code public.invoice_seq}), and it fails silently: the sequence
 * meant stays unacknowledged, or is repaired although the user excluded it.
 */
final class UnmatchedNames {

    private UnmatchedNames() {
    }

    /**
     * @param config the run's configuration
     * @param sequences every sequence the catalog read in scope, excluded ones included
     * @return one warning per name that matches nothing, with the sequence or table meant when one has that name
     */
    static List<String> find(AlignerConfiguration config, List<SequenceInfo> sequences) {
        Set<List<String>> sequenceNames = new HashSet<>();
        Set<List<String>> tableNames = new HashSet<>();
        for (SequenceInfo s : sequences) {
            sequenceNames.add(List.of(s.schema, s.name));
            for (ColumnInfo c : s.columns) {
                tableNames.add(List.of(c.schema, c.table));
            }
        }
        Vocabulary words = config.getVocabulary();
        List<String> warnings = new ArrayList<>();
        for (String name : config.getAllowedUnverified()) {
            List<String> parsed = SqlNames.parseQualified(name, "allowUnverified");
            if (!sequenceNames.contains(parsed)) {
                warnings.add(words.name("allowUnverified") + " names " + ident(parsed) + ", which is no sequence in "
                        + "scope, so it acknowledges nothing" + meant(parsed, sequenceNames));
            }
        }
        // the command line gives one list for both; a name that is a sequence or a table is not unmatched
        Set<String> excludes = new LinkedHashSet<>(config.getExcludedSequences());
        excludes.addAll(config.getExcludedTables());
        for (String name : excludes) {
            List<String> parsed = SqlNames.parseQualified(name, "excludeSequences");
            boolean asSequence = config.getExcludedSequences().contains(name);
            boolean asTable = config.getExcludedTables().contains(name);
            if ((!asSequence || !sequenceNames.contains(parsed)) && (!asTable || !tableNames.contains(parsed))) {
                Set<List<String>> candidates = new HashSet<>();
                if (asSequence) {
                    candidates.addAll(sequenceNames);
                }
                if (asTable) {
                    candidates.addAll(tableNames);
                }
                warnings.add(words.name(asSequence ? "excludeSequences" : "excludeTables") + " names "
                        + ident(parsed) + ", which is no " + (asSequence ? "sequence" : "")
                        + (asSequence && asTable ? " or " : "") + (asTable ? "table a sequence feeds" : "")
                        + " in scope, so it excludes nothing" + meant(parsed, candidates));
            }
        }
        return warnings;
    }

    /** The objects of that name in other schemas, as a hint. */
    private static String meant(List<String> parsed, Set<List<String>> names) {
        List<String> same = new ArrayList<>();
        for (List<String> n : names) {
            if (n.get(1).equals(parsed.get(1))) {
                same.add(ident(n));
            }
        }
        same.sort(null);
        return same.isEmpty() ? "" : " (did you mean " + String.join(" or ", same) + "?)";
    }

    private static String ident(List<String> name) {
        return SqlNames.quote(name.get(0)) + "." + SqlNames.quote(name.get(1));
    }
}
