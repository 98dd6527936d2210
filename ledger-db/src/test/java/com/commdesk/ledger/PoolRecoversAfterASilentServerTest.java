package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, found by the failure suite's database restart: a connection attempt that reaches something that accepts
 * TCP but never answers (a server half up, a proxy or load balancer whose backend is gone) blocked the pool's only
 * connection-adding thread for ever — pgjdbc's login has no time limit unless one is given — so after the database
 * came back the pool still had no connection and every query failed until the JVM was restarted. With a login
 * timeout the stuck attempt ends and the next one connects.
 */
class PoolRecoversAfterASilentServerTest {

    @Test
    @Timeout(120)
    void aLoginThatNeverGetsAnAnswerTimesOutAndThePoolConnectsOnceTheServerIsBack() throws Exception {
        String url = TestDatabases.freshUrl();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("//([^/:]+):(\\d+)/").matcher(url);
        assertThat(m.find()).isTrue();
        try (SilentProxy proxy = new SilentProxy(Integer.parseInt(m.group(2)))) {
            try (LedgerDatabase db = LedgerDatabase.open(url.replace("//" + m.group(1) + ":" + m.group(2) + "/",
                    "//127.0.0.1:" + proxy.port() + "/"), null, null, 1)) {
                assertThat(db.dsl().fetchValue("select 1")).isEqualTo(1);

                // The database goes away: every connection cut; new ones are accepted and never answered.
                proxy.silent = true;
                proxy.cutAll();
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < deadline) {
                    try {
                        db.dsl().fetchValue("select 1");
                    } catch (RuntimeException expected) {
                        // down
                    }
                }
                assertThat(proxy.silentlyHeld()).as("connection attempts held without an answer").isPositive();

                // The database is back; the pool must connect again by itself (the login timeout is 10 s).
                proxy.silent = false;
                Object answer = null;
                long until = System.nanoTime() + 60_000_000_000L;
                while (answer == null && System.nanoTime() < until) {
                    try {
                        answer = db.dsl().fetchValue("select 1");
                    } catch (RuntimeException stillDown) {
                        Thread.sleep(200);
                    }
                }
                assertThat(answer).as("a query through the pool within 60 s of the server being back").isEqualTo(1);
            }
        }
    }

    /** A TCP proxy to PostgreSQL that can cut every connection and, while silent, accept new ones and never answer. */
    private static final class SilentProxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket();
        private final int target;
        private final ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        volatile boolean silent;

        SilentProxy(int target) throws IOException {
            this.target = target;
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            pumps.submit(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        int silentlyHeld() {
            return held.size();
        }

        void cutAll() throws IOException {
            for (Socket s : open) s.close();
            open.clear();
        }

        private Void accept() throws IOException {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return null;
                }
                if (silent) {
                    held.add(client);
                    continue;
                }
                Socket db = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(db);
                pumps.submit(() -> pump(client, db));
                pumps.submit(() -> pump(db, client));
            }
            return null;
        }

        private static Void pump(Socket from, Socket to) {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            } catch (IOException e) {
                // cut
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            server.close();
            cutAll();
            for (Socket s : held) s.close();
            pumps.shutdownNow();
        }
    }
}
