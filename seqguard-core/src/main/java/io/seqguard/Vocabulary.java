package io.seqguard;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How seqguard's messages name options and the repair, so that each user reads the words of the interface in use: a
 * Spring Boot user {@code seqguard.datasources.reporting.allow-unverified}, a command-line user
 * {@code --allow-unverified}, an API user {@code allowUnverified(...)}. The command line and the framework modules set
 * it; code that calls the API directly keeps the default, {@link #API}.
 */
public interface Vocabulary {

    /** The API's own words: configuration methods and {@code SequenceAligner.repair()}. */
    Vocabulary API = new Vocabulary() {
        @Override
        public String option(String method) {
            return method;
        }

        @Override
        public String repair() {
            return "SequenceAligner.repair() (or the startup guard in mode repair)";
        }
    };

    /**
     * What the user writes to set the option that the configuration method {@code method} sets, for example
     * {@code allowUnverified} → {@code seqguard.allow-unverified}; null when the interface has no such option.
     *
     * @param method the name of the {@link AlignerConfiguration}, {@link GuardConfiguration} or
     *     {@link CutoverConfiguration} method
     * @return the option as the user writes it, or null
     */
    String option(String method);

    /** {@return how the user runs a repair, for advice such as "run ... or the statements below"} */
    String repair();

    /**
     * Who speaks in the startup guard's messages: the guard in an application, the command that runs it on a
     * command line.
     *
     * @param mode the guard's mode where the message says it, else null
     * @return for example {@code seqguard startup guard (mode repair)}
     */
    default String guard(GuardMode mode) {
        return "seqguard startup guard" + (mode == null ? "" : " (mode " + mode.name().toLowerCase(Locale.ROOT) + ")");
    }

    /** {@return what follows "refuses" in a refusal of the guard: {@code start-up} in an application} */
    default String stopped() {
        return "start-up";
    }

    /**
     * Words for a framework whose options are properties: {@code prefix} followed by the option's key
     * ({@link GuardOption#key()}); null for a configuration method that no {@link GuardOption} sets (such as
     * {@code source}), which such a framework sets in code.
     *
     * @param prefix for example {@code seqguard.} or {@code seqguard.datasources.reporting.}
     * @param repair how that user runs a repair, for example {@code seqguard.mode=repair}
     * @return the vocabulary
     */
    static Vocabulary properties(String prefix, String repair) {
        return properties(prefix, repair, null);
    }

    /**
     * Words for a framework whose options are properties and whose other settings (the old primary as a witness,
     * {@code source}) are made in code: {@code inCode} followed by {@code aligner.METHOD(...)}.
     *
     * @param prefix for example {@code seqguard.} or {@code seqguard.datasources.reporting.}
     * @param repair how that user runs a repair, for example {@code the application with seqguard.mode=repair}
     * @param inCode how that user reaches the configuration in code, for example
     *     {@code a SeqguardConfigurationCustomizer bean calling}; null when the framework has no such way
     * @return the vocabulary
     */
    static Vocabulary properties(String prefix, String repair, String inCode) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(repair, "repair");
        return new Vocabulary() {
            @Override
            public String option(String method) {
                for (GuardOption<?> option : GuardOption.all()) {
                    if (option.method().equals(method)) {
                        return prefix + option.key();
                    }
                }
                return inCode == null ? null : inCode + " aligner." + method + "(...)";
            }

            @Override
            public String repair() {
                return repair;
            }

            /** As a properties file has it: {@code seqguard.allow-unverified=all,public.invoice_seq}. */
            @Override
            public String settings(String method, List<String> values) {
                return GuardOption.all().stream().anyMatch(o -> o.method().equals(method))
                        ? option(method) + "=" + String.join(",", values)
                        : Vocabulary.super.settings(method, values); // set in code, not a property
            }
        };
    }

    /**
     * A configuration method's name as a property key: {@code onEnabledSubscription} becomes
     * {@code on-enabled-subscription}.
     *
     * @param method the method name
     * @return the key
     */
    static String kebabCase(String method) {
        StringBuilder key = new StringBuilder(method.length() + 4);
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (Character.isUpperCase(c)) {
                key.append('-').append(Character.toLowerCase(c));
            } else {
                key.append(c);
            }
        }
        return key.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * A value as one word for a POSIX shell, for advice that is a command line to paste: as it is when it holds only
     * letters, digits and {@code _.,:/=@%+-}, otherwise in single quotes (a quote inside written {@code '\''}), so
     * that {@code public."Order Lines; x_id_seq"} is neither split nor expanded.
     *
     * @param value the value
     * @return the shell word
     */
    static String shellWord(String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c < 128 && (Character.isLetterOrDigit(c) || "_.,:/=@%+-".indexOf(c) >= 0);
        }
        return plain ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * The option for {@code method} with the interface's words, falling back to the method's own name where the
     * interface has none, so that a message always says something a reader can search for.
     *
     * @param method the configuration method
     * @return the user's name for it
     */
    default String name(String method) {
        String name = option(method);
        return name != null ? name : method;
    }

    /**
     * The option for {@code method} set to {@code value}, as the user would write it, for advice such as "acknowledge
     * it (...)"; {@link #settings} with the one value.
     *
     * @param method the configuration method
     * @param value the value, as the configuration method takes it (a name SQL-quoted where it needs to be)
     * @return the option and its value in the user's words
     */
    default String setting(String method, String value) {
        return settings(method, List.of(value));
    }

    /**
     * The option for {@code method} set to a list of values, as the user would write it: by default {@link #name}
     * and the values after a space, separated by commas; a properties file's {@code key=a,b}; the command line's
     * option once per value, each quoted for a shell where a shell would split or expand it.
     *
     * @param method the configuration method
     * @param values the values, as the configuration method takes them
     * @return the option and its values in the user's words
     */
    default String settings(String method, List<String> values) {
        return name(method) + " " + String.join(",", values);
    }
}
