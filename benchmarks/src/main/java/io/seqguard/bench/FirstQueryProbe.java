package io.seqguard.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of the embedded server that notes when the first query of the connections made through it
 * reaches it: the first frontend message {@code Q} (simple query) or {@code P} (parse) after a startup message. A
 * process launched with this proxy's port in its URL thereby tells how long it took from launch to its first query,
 * JVM start, class loading and command-line parsing included, without any help from the process itself.
 */
final class FirstQueryProbe extends ServerProxy {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;

    private final AtomicLong firstQuery = new AtomicLong();

    private FirstQueryProbe(int targetPort) throws IOException {
        super(targetPort, "first-query-probe");
    }

    /** Starts a probe in front of {@code 127.0.0.1:targetPort}. */
    static FirstQueryProbe start(int targetPort) throws IOException {
        return new FirstQueryProbe(targetPort);
    }

    /** Forgets the last first query: the next one seen is the next run's. */
    void arm() {
        firstQuery.set(0);
    }

    /** {@link System#nanoTime()} when the first query since {@link #arm()} arrived; 0 when none did. */
    long firstQueryNanos() {
        return firstQuery.get();
    }

    @Override
    void relay(Socket client, Socket upstream) {
        daemon("first-query-probe-in", () -> frontend(client, upstream));
        daemon("first-query-probe-out", () -> copy(upstream, client));
    }

    /** Client to server, message by message: untyped ones until the startup message, typed ones after it. */
    private void frontend(Socket from, Socket to) {
        try (DataInputStream in = new DataInputStream(from.getInputStream())) {
            OutputStream out = to.getOutputStream();
            boolean started = false;
            while (true) {
                int type = -1;
                if (started) {
                    type = in.read();
                    if (type < 0) {
                        break;
                    }
                }
                int length = in.readInt();
                byte[] body = new byte[length - 4];
                in.readFully(body);
                if (!started) {
                    int code = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8)
                            | (body[3] & 0xff);
                    started = code != SSL_REQUEST && code != GSS_REQUEST && code != CANCEL_REQUEST;
                } else if (type == 'Q' || type == 'P') {
                    firstQuery.compareAndSet(0, System.nanoTime());
                }
                if (type >= 0) {
                    out.write(type);
                }
                out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                    (byte) length});
                out.write(body);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // the connection closed
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // the connection closed
        }
    }
}
