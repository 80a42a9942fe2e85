package io.latentflow.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TcpProxy} forwards, resets while cut off, and forwards again after restore. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpProxyTest {

    @Test
    void forwardsThenResetsWhileCutOffThenForwardsAgain() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort())) {
            Thread server = new Thread(() -> {
                while (!echo.isClosed()) {
                    try (Socket s = echo.accept()) {
                        s.getOutputStream().write(s.getInputStream().read());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            server.setDaemon(true);
            server.start();

            assertEquals('a', roundTrip(proxy, 'a'));
            assertEquals("http://127.0.0.1:" + proxy.port() + "/apis/ccompat/v7",
                    proxy.proxied("http://localhost:8080/apis/ccompat/v7"));

            proxy.cutOff();
            assertThrows(IOException.class, () -> roundTrip(proxy, 'b'));
            assertTrue(proxy.refusedConnections() >= 1);

            proxy.restore();
            assertEquals('c', roundTrip(proxy, 'c'));
        }
    }

    /** One byte there and back; IOException when the connection is reset or ends early. */
    private static int roundTrip(TcpProxy proxy, int b) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.getOutputStream().write(b);
            int back = s.getInputStream().read();
            if (back < 0) {
                throw new IOException("connection ended without a reply");
            }
            return back;
        }
    }
}
