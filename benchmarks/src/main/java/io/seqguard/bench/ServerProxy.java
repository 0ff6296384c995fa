package io.seqguard.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP proxy in the harness in front of the embedded server: each client gets a connection of its own to it. */
abstract class ServerProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    ServerProxy(int targetPort, String name) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        daemon(name + "-accept", () -> accept(name));
    }

    int port() {
        return server.getLocalPort();
    }

    /** Relays the bytes of one client and its connection to the server, both ways. */
    abstract void relay(Socket client, Socket upstream) throws IOException;

    private void accept(String name) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                for (Socket s : List.of(client, upstream)) {
                    s.setTcpNoDelay(true);
                    sockets.add(s);
                }
                relay(client, upstream);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println(name + ": " + e.getMessage());
                }
            }
        }
    }

    static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
