package io.seqguard.cli;

import java.io.IOException;

/** The little JSON the documents of several databases and of several Citus nodes write around their reports. */
final class Json {

    private Json() {
    }

    static void nullable(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
        } else {
            string(json, value);
        }
    }

    /** A JSON string, escaped as RFC 8259 requires. */
    static void string(StringBuilder json, String value) {
        json.append('"');
        for (char c : value.toCharArray()) {
            String escape = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                    : c == '\t' ? "\\t" : c < 0x20 || c == 0x2028 || c == 0x2029 ? String.format("\\u%04x", (int) c)
                    : null;
            if (escape != null) {
                json.append(escape);
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    /**
     * Writes to another {@link Appendable}, with {@code indent} after each line break but the last: a JSON document
     * set inside another one. The trailing line break is dropped.
     */
    static final class Indented implements Appendable {
        private final Appendable out;
        private final String indent;
        private boolean pendingBreak;

        Indented(Appendable out, String indent) {
            this.out = out;
            this.indent = indent;
        }

        @Override
        public Appendable append(CharSequence text) throws IOException {
            return append(text, 0, text.length());
        }

        @Override
        public Appendable append(CharSequence text, int start, int end) throws IOException {
            int from = start;
            for (int i = start; i < end; i++) {
                if (text.charAt(i) == '\n') {
                    if (i > from) {
                        flushBreak();
                        out.append(text, from, i);
                    }
                    flushBreak();
                    pendingBreak = true;
                    from = i + 1;
                }
            }
            if (end > from) {
                flushBreak();
                out.append(text, from, end);
            }
            return this;
        }

        private void flushBreak() throws IOException {
            if (pendingBreak) {
                out.append('\n').append(indent);
                pendingBreak = false;
            }
        }

        @Override
        public Appendable append(char c) throws IOException {
            flushBreak();
            if (c == '\n') {
                pendingBreak = true;
            } else {
                out.append(c);
            }
            return this;
        }
    }
}
