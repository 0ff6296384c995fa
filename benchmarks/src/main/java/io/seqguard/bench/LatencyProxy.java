package io.seqguard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy in front of the embedded server that holds every chunk of bytes for half a round trip in each
 * direction: a database in another availability zone, on a machine whose kernel has no {@code netem}. Every round trip
 * a client makes pays the delay once, as on a real network; bandwidth is not limited.
 */
final class LatencyProxy extends ServerProxy {

    private static final byte[] END = new byte[0];

    private final long oneWayNanos;

    private LatencyProxy(int targetPort, Duration roundTrip) throws IOException {
        super(targetPort, "latency-proxy");
        this.oneWayNanos = roundTrip.toNanos() / 2;
    }

    /** Starts a proxy to {@code 127.0.0.1:targetPort} with the given round trip. */
    static LatencyProxy start(int targetPort, Duration roundTrip) throws IOException {
        return new LatencyProxy(targetPort, roundTrip);
    }

    @Override
    void relay(Socket client, Socket upstream) throws IOException {
        relayOneWay(client, upstream);
        relayOneWay(upstream, client);
    }

    /** One direction: a reader stamps each chunk with when it may leave, a writer sends it then, in order. */
    private void relayOneWay(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        daemon("latency-proxy-read", () -> {
            byte[] buffer = new byte[65536];
            try {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    queue.add(new Object[] {System.nanoTime() + oneWayNanos, java.util.Arrays.copyOf(buffer, n)});
                }
            } catch (IOException e) {
                // the socket closed
            }
            queue.add(new Object[] {System.nanoTime() + oneWayNanos, END});
        });
        daemon("latency-proxy-write", () -> {
            try {
                while (true) {
                    Object[] item = queue.take();
                    for (long wait = (long) item[0] - System.nanoTime(); wait > 0;
                            wait = (long) item[0] - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    byte[] bytes = (byte[]) item[1];
                    if (bytes == END) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(bytes);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the socket closed, or the proxy did
            }
        });
    }
}
