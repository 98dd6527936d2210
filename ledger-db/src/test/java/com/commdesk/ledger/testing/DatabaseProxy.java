package com.commdesk.ledger.testing;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of a test database, for tests of what the platform does while PostgreSQL is gone: it passes
 * bytes through until told to {@link #cutAll() cut} every connection and then, by {@link Mode}, to refuse new ones
 * (a server gone: closed at once) or to hold them silently (something that accepts TCP and never answers: a server
 * half up, a load balancer whose backend is gone).
 */
public final class DatabaseProxy implements AutoCloseable {
    private static final Pattern HOST_PORT = Pattern.compile("//([^/:]+):(\\d+)/");

    /** What happens to a new connection. */
    public enum Mode { PASS, REFUSE, SILENT }

    private final ServerSocket server = new ServerSocket();
    private final int target;
    private final ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final String url;
    private volatile Mode mode = Mode.PASS;

    /** A proxy to the database of JDBC {@code url} (on this host); {@link #url()} is the same URL through the proxy. */
    public DatabaseProxy(String url) throws IOException {
        Matcher m = HOST_PORT.matcher(url);
        if (!m.find()) throw new IllegalArgumentException("no //host:port/ in the JDBC URL");
        this.target = Integer.parseInt(m.group(2));
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.url = url.substring(0, m.start()) + "//127.0.0.1:" + server.getLocalPort() + "/" + url.substring(m.end());
        pumps.submit(this::accept);
    }

    public String url() {
        return url;
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Connections accepted while {@link Mode#SILENT} and never answered. */
    public int silentlyHeld() {
        return held.size();
    }

    /** Cuts every connection passing through. */
    public void cutAll() throws IOException {
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
            switch (mode) {
                case REFUSE -> client.close();
                case SILENT -> held.add(client);
                case PASS -> {
                    Socket db = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(db);
                    pumps.submit(() -> pump(client, db));
                    pumps.submit(() -> pump(db, client));
                }
            }
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
