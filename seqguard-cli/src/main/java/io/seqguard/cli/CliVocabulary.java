package io.seqguard.cli;

import io.seqguard.Vocabulary;

/** The command line's words for options, so that messages name the option a runbook writes. */
final class CliVocabulary implements Vocabulary {

    static final CliVocabulary INSTANCE = new CliVocabulary();

    private CliVocabulary() {
    }

    @Override
    public String option(String method) {
        switch (method) {
            case "schemas":
                return "--schema";
            case "mappings":
                return "--map";
            case "excludeSequences":
            case "excludeTables":
                return "--exclude";
            case "allocation":
            case "margin":
            case "jobs":
            case "source":
            case "allowUnverified":
            case "lockTimeout":
            case "statementTimeout":
                return "--" + Vocabulary.kebabCase(method);
            default:
                // guard options the command line does not offer: repair always refuses a standby and a database
                // that replication still feeds, and fails when incomplete
                return null;
        }
    }

    @Override
    public String repair() {
        return "seqguard repair";
    }
}
