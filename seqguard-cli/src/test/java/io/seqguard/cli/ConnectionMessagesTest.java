package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a connection failure says in the CLI: the host that does not resolve, the port where something else than
 * PostgreSQL listens (an SSH or HTTP server), and no java.util.logging lines from the driver.
 */
@PostgresTest
class ConnectionMessagesTest {

    private final TestDatabase db;
    private final List<ServerSocket> servers = new ArrayList<>();

    ConnectionMessagesTest(TestDatabase db) {
        this.db = db;
    }

    @AfterEach
    void stopServers() throws IOException {
        for (ServerSocket server : servers) {
            server.close();
        }
    }

    @Test
    void anUnknownHostIsNamedWithTheOptionThatGaveIt() {
        for (String command : new String[] {"verify", "plan", "repair"}) {
            CliTest.Run run = CliTest.run(Map.of(), command, "--url", "jdbc:postgresql://no-such-host.invalid/shop");
            assertThat(run.code()).as(command).isEqualTo(ExitCode.FAILURE);
            assertThat(run.err().lines()).as(command).containsExactly("seqguard: --url: unknown host "
                    + "'no-such-host.invalid': the name does not resolve. Check the host in the JDBC URL "
                    + "(jdbc:postgresql://HOST[:PORT]/DATABASE).");
        }
        CliTest.Run source = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                "--source", "jdbc:postgresql://old-primary.invalid:5433/shop");
        assertThat(source.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(source.err()).startsWith("seqguard: --source: unknown host 'old-primary.invalid'");
    }

    /** An SSH server speaks first; its banner starts with the byte by which PostgreSQL accepts SSL. */
    @Test
    void aPortWhereSshListensIsNotPostgres() throws IOException {
        int port = fakeServer("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", true);
        for (String command : new String[] {"verify", "plan", "repair"}) {
            CliTest.Run run = CliTest.run(Map.of(), command, "--url", "jdbc:postgresql://127.0.0.1:" + port + "/shop");
            assertThat(run.code()).as(command).isEqualTo(ExitCode.FAILURE);
            assertThat(run.err().lines()).as(command).containsExactly("seqguard: --url: 127.0.0.1:" + port
                    + " is not a PostgreSQL server: it answered \"SSH-2.0-OpenSSH_9.2p1 Debian-2\". Check the port in "
                    + "the JDBC URL (PostgreSQL listens on 5432 unless configured otherwise).");
        }
    }

    @Test
    void aPortWhereHttpListensIsNotPostgres() throws IOException {
        int port = fakeServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", false);
        CliTest.Run run = CliTest.run(Map.of(), "verify", "--url", db.jdbcUrl(), "--user", "postgres",
                "--source", "jdbc:postgresql://localhost:" + port + "/shop");
        assertThat(run.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).startsWith("seqguard: --source: localhost:" + port + " is not a PostgreSQL server: "
                + "it answered \"HTTP/1.1 400 Bad Request\"").doesNotContain("SSL");
    }

    @Test
    void aServerThatHangsUpIsNotPostgres() throws IOException {
        int port = fakeServer("", false);
        CliTest.Run run = CliTest.run(Map.of(), "verify", "--url", "jdbc:postgresql://127.0.0.1:" + port + "/shop");
        assertThat(run.code()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).contains("is not a PostgreSQL server: it closed the connection without answering");
    }

    @Test
    void realPostgresIsRecognised() {
        int port = Integer.parseInt(db.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        assertThat(ServerProbe.notPostgres(new ServerProbe.Endpoint("127.0.0.1", port))).isNull();
        assertThat(ServerProbe.endpoints("jdbc:postgresql://a:5433,b/db")).containsExactly(
                new ServerProbe.Endpoint("a", 5433), new ServerProbe.Endpoint("b", 5432));
    }

    /** As a runbook sees it: a process of its own, where the driver's logging is configured as in real use. */
    @Test
    void theDriversOwnWarningsStayOutOfTheOutput() throws Exception {
        // the driver logs a WARNING through java.util.logging for an unreadable loginTimeout, then connects anyway
        Process verify = cli("verify", "--url", db.jdbcUrl() + "?loginTimeout=soon", "--user", "postgres");
        String err = new String(verify.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor()).as(err).isIn(ExitCode.ALIGNED, ExitCode.DRIFT);
        assertThat(err).isEmpty();

        // and one for a port out of range, before seqguard's own usage error
        Process badPort = cli("verify", "--url", "jdbc:postgresql://127.0.0.1:99999/shop");
        String badPortErr = new String(badPort.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(badPort.waitFor()).isEqualTo(ExitCode.USAGE);
        assertThat(badPortErr.lines()).as(badPortErr).hasSize(2).allMatch(line -> !line.contains("WARNING"))
                .first().asString().startsWith("seqguard: --url:");
    }

    private static Process cli(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * A server that is not PostgreSQL, on a free loopback port: it sends {@code reply} on connecting (a banner) or
     * after the client's first bytes, then hangs up.
     */
    private int fakeServer(String reply, boolean banner) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    OutputStream out = client.getOutputStream();
                    InputStream in = client.getInputStream();
                    if (banner) {
                        out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    }
                    in.read(new byte[8]);
                    if (!banner) {
                        out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException e) {
                    // the client hung up first, or the test closed the server
                }
            }
        }, "not-postgres-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
        return server.getLocalPort();
    }
}
