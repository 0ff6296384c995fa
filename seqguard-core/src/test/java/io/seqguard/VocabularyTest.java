package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Vocabulary#shellWord}: what a pasted command line gives its program is the value, whatever it holds. */
class VocabularyTest {

    @ParameterizedTest
    @ValueSource(strings = {"public.orders_id_seq", "public.\"Order Lines; x_id_seq\"=public.\"Order Lines\".id",
        "it's", "'", "a b", "$(touch /tmp/seqguard-pwned)", "`id`", "x;y|z&w", "back\\slash", "star*?[x]",
        "\"\"", "ü.seq", "tab\there", "new\nline", "~root", "#comment", "!bang", "", "a=b.c",
        "x,y:z/w@1%2+3", "public.orders_id_seq=public.orders.id"})
    void aPosixShellPassesTheValueAsOneWord(String value) throws IOException, InterruptedException {
        // printf repeats its format for each word: the value and one NUL means one word, nothing split or expanded
        Process shell = new ProcessBuilder("/bin/sh", "-c", "printf '%s\\0' " + Vocabulary.shellWord(value))
                .redirectErrorStream(true).start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor()).isZero();
        assertThat(out).isEqualTo(value + "\0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"public.orders_id_seq", "--map", "a=b.c", "x,y:z/w@1%2+3"})
    void aPlainValueIsLeftAsItIs(String value) {
        assertThat(Vocabulary.shellWord(value)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "it's", "ü", ""})
    void anythingElseIsQuoted(String value) {
        assertThat(Vocabulary.shellWord(value)).startsWith("'").endsWith("'").isNotEqualTo(value);
    }
}
