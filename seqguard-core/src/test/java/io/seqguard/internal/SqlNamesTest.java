package io.seqguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Names shown on one line and read back: the Unicode escape form for names holding control characters. */
class SqlNamesTest {

    @Test
    void aNameWithControlCharactersIsShownInUnicodeEscapesAndReadBackTheSame() {
        String[][] names = {{"we\nird", "Tab\nle; x_id_seq"}, {"s", "tab\there"}, {"back \\ slash\r", "q \"\" \u0007"},
            {"plain", "line\u2028sep"}, {"ü 🚀\n", "\u007f\u0085"}};
        for (String[] parts : names) {
            String quoted = SqlNames.quote(parts[0]) + "." + SqlNames.quote(parts[1]);
            assertThat(quoted.chars()).as(quoted).noneMatch(c -> c < 0x20 || c == 0x2028 || c == 0x7f || c == 0x85);
            assertThat(SqlNames.parse(quoted, "name")).as(quoted).containsExactly(parts);
        }
        assertThat(SqlNames.printable("\"we\nird\".\"Tab\nle\"")).isEqualTo("U&\"we\\000aird\".U&\"Tab\\000ale\"");
        assertThat(SqlNames.printable("\"a\\b\tc\"")).as("a backslash is doubled where escapes are read")
                .isEqualTo("U&\"a\\\\b\\0009c\"");
        assertThat(SqlNames.printable("public.\"Order Lines; x\"")).as("unchanged without control characters")
                .isEqualTo("public.\"Order Lines; x\"");
        assertThat(SqlNames.printable("column id\nof x")).as("outside quotes").isEqualTo("column id\\u000aof x");
    }

    @Test
    void aMalformedNameIsEchoedOnOneLine() {
        assertThatThrownBy(() -> SqlNames.parse("\"a\nb", "schemas"))
                .hasMessage("schemas: '\"a\\u000ab' has an unclosed double quote");
        assertThatThrownBy(() -> SqlNames.parseQualified("a.b.c.\"d\ne\"", "excludeSequences"))
                .hasMessageNotContaining("\n").hasMessageContaining("U&\"d\\000ae\"");
    }

    @Test
    void unicodeEscapesAreReadAsPostgresqlReadsThem() {
        assertThat(SqlNames.parse("u&\"d\\0061t\\+000061\"", "name")).containsExactly("data");
        assertThat(SqlNames.parse("U&\"x\\\\y\"", "name")).containsExactly("x\\y");
        assertThat(SqlNames.parse("\"U&\".t", "name")).as("a quoted U& is a name").containsExactly("U&", "t");
        for (String invalid : new String[] {"U&\"\\0000\"", "U&\"\\d800\"", "U&\"\\+110000\"", "U&\"\\\u0661234\""}) {
            assertThatThrownBy(() -> SqlNames.parse(invalid, "schemas")).as(invalid)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has an invalid Unicode escape");
        }
        assertThatThrownBy(() -> SqlNames.parse("U&\"bad \\12\"", "allowUnverified"))
                .hasMessage("allowUnverified: 'U&\"bad \\12\"' has an invalid Unicode escape in a U&\"...\" name: "
                        + "write \\XXXX with four hex digits, \\+XXXXXX with six, or \\\\");
    }
}
