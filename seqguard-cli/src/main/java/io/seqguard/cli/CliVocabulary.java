package io.seqguard.cli;

import io.seqguard.GuardMode;
import io.seqguard.Vocabulary;
import java.util.List;

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
            case "oldPrimary":
                // the cutover's old primary is the guard's witness, one option for both
                return "--source";
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
            case "lockWaitTimeout":
                return "--" + Vocabulary.kebabCase(method);
            default:
                // guard options the command line does not offer: repair always refuses a standby and a database
                // that replication still feeds, and fails when incomplete
                return null;
        }
    }

    /**
     * The option once per value, each value one word for a POSIX shell ({@link Vocabulary#shellWord}), so that
     * {@code public."Order Lines; x_id_seq"} can be pasted as it is.
     */
    @Override
    public String settings(String method, List<String> values) {
        StringBuilder words = new StringBuilder();
        for (String value : values) {
            words.append(words.length() == 0 ? "" : " ").append(name(method)).append(' ')
                    .append(Vocabulary.shellWord(value));
        }
        return words.toString();
    }

    /**
     * A configuration method's message ({@code statementTimeout: must be ...}) with the option's name in front, as
     * the command line spells it.
     */
    String inOptionWords(IllegalArgumentException e) {
        String message = e.getMessage();
        int colon = message.indexOf(':');
        String option = colon > 0 ? option(message.substring(0, colon)) : null;
        return option != null ? option + message.substring(colon) : message;
    }

    @Override
    public String repair() {
        return "seqguard repair";
    }

    /** The command line runs the guard only to repair, so the command speaks, with no mode to add. */
    @Override
    public String guard(GuardMode mode) {
        return "seqguard repair";
    }

    @Override
    public String stopped() {
        return "to run";
    }
}
