package io.seqguard;

import java.util.Locale;
import java.util.Objects;

/** Reads configuration text into an enum the same way for every option, with one message shape. */
final class EnumText {

    private EnumText() {
    }

    /**
     * @param type the enum
     * @param text the configured value; case and surrounding blanks are ignored
     * @param property the property, named first in the message
     * @param what what a value is, for example {@code "standby action"}
     * @return the constant
     * @throws IllegalArgumentException naming the property and listing the accepted values
     */
    static <E extends Enum<E>> E parse(Class<E> type, String text, String property, String what) {
        Objects.requireNonNull(text, property + " must not be null");
        String wanted = text.trim().toUpperCase(Locale.ROOT);
        E[] constants = type.getEnumConstants();
        StringBuilder accepted = new StringBuilder();
        for (int i = 0; i < constants.length; i++) {
            if (constants[i].name().equals(wanted)) {
                return constants[i];
            }
            accepted.append(i == 0 ? "" : i == constants.length - 1 ? " or " : ", ")
                    .append(constants[i].name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(property + ": '" + text + "' is not a " + what + "; use " + accepted);
    }
}
