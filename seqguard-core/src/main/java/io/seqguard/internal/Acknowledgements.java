package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Which sequences the configuration acknowledges as knowingly not verified ({@code allowUnverified}). */
final class Acknowledgements {

    private final boolean all;
    private final Set<List<String>> names = new HashSet<>();

    Acknowledgements(AlignerConfiguration config) {
        this.all = config.isAllUnverifiedAllowed();
        for (String name : config.getAllowedUnverified()) {
            names.add(SqlNames.parseQualified(name, "allowUnverified"));
        }
    }

    boolean covers(SequenceInfo s) {
        return all || names.contains(List.of(s.schema, s.name));
    }
}
