package io.latentflow.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on a free loopback port in front of a service, for fault injection: {@link #cutOff()} resets
 * every open connection and every new one (the client sees "connection reset", as when a service or its network
 * is down) until {@link #restore()}. The service behind it keeps running, with its state.
 *
 * <p>Plain threads, two per forwarded connection; meant for tests and their few connections.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean cutOff;
    private volatile boolean closed;

    private TcpProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Forwards a free loopback port to {@code host:port}. */
    public static TcpProxy start(String host, int port) {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            return new TcpProxy(s, new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a proxy port for " + host + ":" + port, e);
        }
    }

    /** A proxy for an http(s) URL's host and port; {@link #proxied(String)} rewrites URLs onto it. */
    public static TcpProxy forUrl(String url) {
        URI u = URI.create(url);
        return start(u.getHost(), u.getPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code url} with its host and port replaced by this proxy's (the path is kept). */
    public String proxied(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + server.getInetAddress().getHostAddress() + ":" + port() + u.getRawPath();
    }

    /** Resets open connections and every new one until {@link #restore()}. */
    public void cutOff() {
        cutOff = true;
        open.forEach(TcpProxy::reset);
        open.clear();
    }

    /** Forwards connections again. */
    public void restore() {
        cutOff = false;
    }

    /** Connections reset because the proxy was cut off (so a test can check that the outage was met). */
    public long refusedConnections() {
        return refused.get();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cutOff) {
                refused.incrementAndGet();
                reset(client);
                continue;
            }
            try {
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                reset(client); // the service itself is down: the client sees that too
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed or reset: close both below
            } finally {
                reset(from);
                reset(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-" + port() + "-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Closes with SO_LINGER 0, so the peer gets a reset rather than an orderly end of stream. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(TcpProxy::reset);
        open.clear();
    }
}
