package com.commdesk.dev;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between the worker JVMs and PostgreSQL that can drop a connection <em>between commit and
 * reply</em>: the server has committed a transaction that wrote postings (its COMMIT's CommandComplete
 * is on the wire) and the client never hears it; the connection is cut instead. Otherwise it passes
 * every byte through. The worker sees an I/O error (SQLSTATE 08006) for a posting that is durable — the
 * partial failure of issue 14, scenario 6. It reads PostgreSQL's wire protocol only far enough for that:
 * the server's messages are framed (type byte, 4-byte length; the clients connect with sslmode=disable,
 * so no unframed SSL answer comes first), and a transaction wrote postings if the client sent a statement
 * naming the {@code posting} table since its last COMMIT (with {@code prepareThreshold=0}, so the text is
 * sent every time).
 */
final class CommitCutter implements AutoCloseable {
    private static final byte[] POSTING = "\"posting\"".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int targetPort;
    private final ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger toCut = new AtomicInteger();
    private final AtomicInteger cut = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    private CommitCutter(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    static CommitCutter start(int targetPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        CommitCutter c = new CommitCutter(s, targetPort);
        c.pumps.submit(c::accept);
        return c;
    }

    int port() {
        return server.getLocalPort();
    }

    /** The {@code url} (jdbc:postgresql://127.0.0.1:{target}/…) through this proxy, without SSL negotiation or server-prepared statements. */
    String proxied(String url) {
        String through = url.replace(":" + targetPort + "/", ":" + port() + "/");
        if (through.equals(url)) throw new IllegalArgumentException("not a URL of port " + targetPort + ": " + url);
        // prepareThreshold=0: every execution carries its SQL text (a server-side prepared statement would send
        // only its name after 5 uses, and the proxy could no longer see which transaction writes postings).
        return through + (through.contains("?") ? "&" : "?") + "sslmode=disable&prepareThreshold=0";
    }

    /** Cuts the next {@code n} connections whose transaction wrote postings, right after the server's COMMIT reply. */
    void cutAfterNextPostingCommits(int n) {
        toCut.set(n);
    }

    int cutSoFar() {
        return cut.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket db;
                try {
                    db = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException refused) {
                    // PostgreSQL is down (scenario 3): the client is refused too, as without a proxy. Left open, it would
                    // wait for the server's first message forever.
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                db.setTcpNoDelay(true);
                connections.incrementAndGet();
                Connection c = new Connection(client, db);
                pumps.submit(c::clientToServer);
                pumps.submit(c::serverToClient);
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    private final class Connection {
        final Socket client;
        final Socket db;
        volatile boolean wrotePostings;
        /** Bytes of the last statement text seen, to find POSTING across reads. */
        private final byte[] tail = new byte[POSTING.length];

        Connection(Socket client, Socket db) {
            this.client = client;
            this.db = db;
        }

        void clientToServer() {
            byte[] buf = new byte[16384];
            try (InputStream in = client.getInputStream(); OutputStream out = db.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (!wrotePostings && contains(buf, n)) wrotePostings = true;
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                closeBoth();
            }
        }

        private boolean contains(byte[] buf, int n) {
            byte[] window = new byte[tail.length + n];
            System.arraycopy(tail, 0, window, 0, tail.length);
            System.arraycopy(buf, 0, window, tail.length, n);
            System.arraycopy(window, window.length - tail.length, tail, 0, tail.length);
            outer:
            for (int i = 0; i + POSTING.length <= window.length; i++) {
                for (int j = 0; j < POSTING.length; j++) {
                    if (Character.toLowerCase(window[i + j]) != POSTING[j]) continue outer;
                }
                return true;
            }
            return false;
        }

        void serverToClient() {
            try (DataInputStream in = new DataInputStream(db.getInputStream()); OutputStream out = client.getOutputStream()) {
                while (true) {
                    byte type = in.readByte();
                    int length = in.readInt();
                    byte[] body = new byte[length - 4];
                    in.readFully(body);
                    if (type == 'C') {
                        String tag = new String(body, 0, Math.max(0, body.length - 1), StandardCharsets.US_ASCII);
                        if (tag.toUpperCase(Locale.ROOT).startsWith("COMMIT")) {
                            if (wrotePostings && toCut.getAndUpdate(x -> Math.max(0, x - 1)) > 0) {
                                cut.incrementAndGet();
                                return; // committed at the server; the client never hears it (finally closes both)
                            }
                            wrotePostings = false;
                        } else if (tag.toUpperCase(Locale.ROOT).startsWith("ROLLBACK")) {
                            wrotePostings = false;
                        }
                    }
                    out.write(type);
                    out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
                    out.write(body);
                    if (type == 'Z' || type == 'R' || type == 'E' || in.available() == 0) out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                closeBoth();
            }
        }

        void closeBoth() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
            try {
                db.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        pumps.shutdownNow();
    }
}
