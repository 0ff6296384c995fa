package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which sequences the configuration acknowledges as knowingly not verified ({@code allowUnverified}). A name
 * acknowledges its sequence whatever kept it unverified; {@code all} only the sequences no read can verify (no column
 * uses it, none of its columns can be compared, it does not exist), since what this run could not read (a missing
 * GRANT, row-level security, a lock or statement timeout) was not known when the option was written: acknowledging
 * that takes its name.
 */
final class Acknowledgements {

    private final boolean all;
    private final Set<List<String>> names = new HashSet<>();

    Acknowledgements(AlignerConfiguration config) {
        this.all = config.isAllUnverifiedAllowed();
        for (String name : config.getAllowedUnverified()) {
            names.add(SqlNames.parseQualified(name, "allowUnverified"));
        }
    }

    /**
     * @param unverifiableByAnyRead whether no read can verify the sequence ({@link Judged#unverifiableByAnyRead})
     */
    boolean covers(SequenceInfo s, boolean unverifiableByAnyRead) {
        return names.contains(List.of(s.schema, s.name)) || all && unverifiableByAnyRead;
    }

    /** {@return whether {@code all} is given} */
    boolean all() {
        return all;
    }
}
