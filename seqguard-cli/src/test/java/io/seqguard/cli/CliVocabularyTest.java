package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's advice can be pasted into a shell: an option's value reaches seqguard as it was printed. */
class CliVocabularyTest {

    @Test
    void aSettingsValueSurvivesAPosixShellUnchanged() throws Exception {
        String[] values = {"public.orders_id_seq", "public.\"Order Lines; x_id_seq\"", "\"it's\".\"a $HOME `id`\"",
            "\"Shop; x\"", "s.\"new\nline\"", "public.\"*\"=s.t.c", "\"\\\\ back\""};
        for (String value : values) {
            String setting = CliVocabulary.INSTANCE.setting("allowUnverified", value);
            assertThat(setting).startsWith("--allow-unverified ");
            assertThat(shellWords(setting)).as(setting).containsExactly("--allow-unverified", value);
        }
        assertThat(CliVocabulary.INSTANCE.setting("schemas", "public")).as("a plain name stays plain")
                .isEqualTo("--schema public");
    }

    /** The words {@code /bin/sh} makes of a command line, one per line (a NUL between them). */
    static String[] shellWords(String commandLine) throws IOException, InterruptedException {
        Process sh = new ProcessBuilder("/bin/sh", "-c", "printf '%s\\0' " + commandLine).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).isZero();
        return out.substring(0, out.length() - 1).split("\0", -1);
    }
}
