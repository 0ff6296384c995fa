package io.seqguard.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.Charset;

/**
 * Reads a password {@code --password} or {@code --source-password} asks for. At a terminal it is typed without echo;
 * otherwise it is the next line of standard input ({@code printf '%s\n' "$PW" | seqguard ... --password}). The prompt
 * goes to the terminal only, never to standard output, where a report may be going.
 */
final class PasswordPrompt {

    private static final File TTY = new File("/dev/tty");

    private PasswordPrompt() {
    }

    /** {@return the password typed or read, empty when standard input ended or its line was empty} */
    static String read(String prompt) throws IOException {
        Console console = System.console();
        if (console != null && isTerminal(console)) {
            char[] typed = console.readPassword("%s", prompt);
            return typed == null ? "" : new String(typed);
        }
        if (Terminal.isTerminal(0)) {
            // standard output goes elsewhere (a report to a file), so Java gives no console: ask at the terminal
            return fromTerminal(prompt);
        }
        return nextLine(System.in);
    }

    /**
     * Java 22 and later give a console with standard output redirected too, whose prompt would go there: its
     * {@code isTerminal()} tells. Before 22 a console is a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * The prompt on the terminal and the answer typed there, its echo off while it is typed (as psql does). Echo goes
     * off before the prompt shows, so that nothing typed at once is echoed, and the terminal's own settings come back
     * afterwards, also when the user presses Ctrl-C at the prompt (a shutdown hook: the JVM runs no finally then).
     */
    private static String fromTerminal(String prompt) throws IOException {
        try (InputStream in = new FileInputStream(TTY); OutputStream out = new FileOutputStream(TTY)) {
            String saved = stty("-g");
            Thread restore = new Thread(() -> stty(saved != null ? saved : "echo"), "seqguard-terminal-restore");
            boolean silent = stty("-echo") != null;
            if (silent) {
                Runtime.getRuntime().addShutdownHook(restore);
            }
            out.write(prompt.getBytes(Charset.defaultCharset()));
            out.flush();
            try {
                return nextLine(in);
            } finally {
                if (silent) {
                    restore.run();
                    try {
                        Runtime.getRuntime().removeShutdownHook(restore);
                    } catch (IllegalStateException e) {
                        // shutting down already: the hook restores the terminal
                    }
                }
                // the Enter typed was not echoed either
                out.write('\n');
                out.flush();
            }
        }
    }

    /** Runs stty on the terminal; {@return what it printed, or null when it failed or is missing} */
    private static String stty(String setting) {
        try {
            Process stty = new ProcessBuilder("stty", setting).redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String printed = new String(stty.getInputStream().readAllBytes(), Charset.defaultCharset()).strip();
            return stty.waitFor() == 0 ? printed : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * One line, read byte by byte so that nothing after it is taken: {@code --source-password} reads the next one.
     * A carriage return before the line break is dropped.
     */
    static String nextLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        String text = line.toString(Charset.defaultCharset());
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
