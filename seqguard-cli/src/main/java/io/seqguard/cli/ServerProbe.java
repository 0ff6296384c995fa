package io.seqguard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Says what a failed connection could not: that a host name does not resolve, or that what listens on the port is
 * not PostgreSQL. The driver reports the second as "SSL error" or "The connection attempt failed": it opens with an
 * SSL request, and an SSH server's banner starts with the very byte PostgreSQL answers when it accepts SSL.
 */
final class ServerProbe {

    /** PostgreSQL answers an SSL request at once; anything slower is something else. */
    static final int ANSWER_TIMEOUT_MILLIS = 2000;
    private static final String SILENT = "it did not answer PostgreSQL's first message within "
            + ANSWER_TIMEOUT_MILLIS / 1000 + " s";
    /** After its one-byte answer PostgreSQL waits for the client; a server that goes on talking is not PostgreSQL. */
    private static final int SILENCE_MILLIS = 200;
    private static final int SSL_REQUEST_CODE = 80877103;
    private static final int SHOWN_BYTES = 40;

    private ServerProbe() {
    }

    /**
     * Explains a failure to connect, in the words of the option that named the server.
     *
     * @param failure what the run threw
     * @param urls the JDBC URL of each option given ({@code --url}, {@code --source}), in that order
     * @return the explanation, or null when there is none better than the failure's own message
     */
    static String explain(Throwable failure, Map<String, String> urls) {
        String refused = authenticationState(failure);
        if ("28000".equals(refused) && String.valueOf(failure.getMessage()).contains("pg_hba.conf")) {
            // the server's own rules keep this host, user or database out: no password or option changes that
            return failure.getMessage() + " That is the server's setting: a line of its pg_hba.conf must let this "
                    + "client address, user and database in (ask its administrator; where only hostssl lines match, "
                    + "add sslmode=require to the URL).";
        }
        if (refused != null) {
            // the driver's words name neither the option nor the variable a password comes from
            String said = failure.getMessage();
            // the cutover names the old primary's connection "--source (the old primary)"
            return said + (said.startsWith("--source ") || said.contains("connect to --source ")
                    ? " For --source: the user is --source-user, else user= in its URL, else --user; the password"
                            + " PGSOURCEPASSWORD or --source-password (asked for without a value); PGPASSWORD is never"
                            + " used for it."
                    : " The user is --user (or user= in the URL), the password PGPASSWORD or --password (asked for "
                            + "without a value).");
        }
        if (!isConnectionFailure(failure)) {
            return null;
        }
        UnknownHostException unknownHost = cause(failure, UnknownHostException.class);
        if (unknownHost != null) {
            String host = unknownHost.getMessage();
            String option = urls.entrySet().stream()
                    .filter(e -> endpoints(e.getValue()).stream().anyMatch(p -> p.host().equalsIgnoreCase(host)))
                    .map(Map.Entry::getKey).findFirst().orElse("--url");
            return option + ": unknown host '" + host + "': the name does not resolve. Check the host in the JDBC URL"
                    + " (jdbc:postgresql://HOST[:PORT]/DATABASE).";
        }
        if (cause(failure, java.net.ConnectException.class) != null) {
            return null; // "Connection to host:port refused" already says it
        }
        for (Map.Entry<String, String> url : urls.entrySet()) {
            for (Endpoint endpoint : endpoints(url.getValue())) {
                String answer = notPostgres(endpoint);
                if (SILENT.equals(answer)) {
                    // an overloaded PostgreSQL is silent too: say what was seen, not what it must be
                    return url.getKey() + ": " + endpoint + " accepted the connection but never answered: the driver"
                            + " gave up after its login timeout, and a second try did not answer PostgreSQL's first"
                            + " message within " + ANSWER_TIMEOUT_MILLIS / 1000 + " s either. Something other than"
                            + " PostgreSQL listens there (check the port in the JDBC URL), or the server is too busy"
                            + " to answer; a loginTimeout=SECONDS parameter in the URL sets the wait.";
                }
                if (answer != null) {
                    return url.getKey() + ": " + endpoint + " is not a PostgreSQL server: " + answer
                            + ". Check the port in the JDBC URL (PostgreSQL listens on 5432 unless configured "
                            + "otherwise).";
                }
            }
        }
        return null;
    }

    /** One host and port of a JDBC URL. */
    record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The hosts and ports of a JDBC URL as the driver reads it; empty when it cannot read it. */
    static List<Endpoint> endpoints(String jdbcUrl) {
        List<Endpoint> endpoints = new ArrayList<>();
        Properties parsed = jdbcUrl == null ? null : Driver.parseURL(jdbcUrl, null);
        if (parsed == null) {
            return endpoints;
        }
        String[] hosts = parsed.getProperty("PGHOST", "localhost").split(",");
        String[] ports = parsed.getProperty("PGPORT", "5432").split(",");
        for (int i = 0; i < hosts.length; i++) {
            try {
                endpoints.add(new Endpoint(hosts[i], Integer.parseInt(ports[Math.min(i, ports.length - 1)])));
            } catch (NumberFormatException e) {
                // the driver refuses such a URL itself, with its own message
            }
        }
        return endpoints;
    }

    /**
     * Opens a connection and sends what the driver sends first, an SSL request. PostgreSQL answers with one byte,
     * {@code S} or {@code N}, and then waits.
     *
     * @return what the server did instead, in words; null when it answered as PostgreSQL does, or could not be reached
     */
    static String notPostgres(Endpoint endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), ANSWER_TIMEOUT_MILLIS);
            socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST_CODE).array());
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[SHOWN_BYTES];
            int length;
            try {
                length = in.read(answer);
            } catch (SocketTimeoutException e) {
                return SILENT;
            }
            if (length < 0) {
                return "it closed the connection without answering";
            }
            if (length == 1 && (answer[0] == 'S' || answer[0] == 'N' || answer[0] == 'E')) {
                socket.setSoTimeout(SILENCE_MILLIS);
                try {
                    int more = in.read(answer, 1, answer.length - 1);
                    if (more <= 0) {
                        return null;
                    }
                    length += more;
                } catch (SocketTimeoutException e) {
                    return null; // one byte, then silence: PostgreSQL
                }
            }
            return "it answered \"" + printable(answer, length) + "\"";
        } catch (IOException e) {
            return null; // unreachable now: the driver's own message says more
        }
    }

    /** The first line of what a server sent, without control characters. */
    private static String printable(byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf('\n');
        text = (lineEnd >= 0 ? text.substring(0, lineEnd) : text).strip();
        StringBuilder shown = new StringBuilder();
        for (char c : text.toCharArray()) {
            shown.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return shown.toString();
    }

    /**
     * The SQLState of a refused authentication (class 28: a wrong password, an unknown role, a pg_hba.conf rule; or the
     * driver's 08004 for a password the server asked for and was not given), or null for any other failure.
     */
    private static String authenticationState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("28")
                    || "08004".equals(sql.getSQLState()) && String.valueOf(sql.getMessage()).contains("password"))) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The options that name a server, with their URLs; an option not given is left out. */
    static Map<String, String> urls(AlignOptions options) {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("--url", options.url);
        if (options.sourceUrl != null) {
            urls.put("--source", options.sourceUrl);
        }
        return urls;
    }
}
