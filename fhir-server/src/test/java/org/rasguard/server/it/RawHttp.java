package org.rasguard.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 written by hand on a socket, for what a client library will not send: a Host header of
 * our choosing, a Content-Length the body never reaches, a stalled body.
 */
final class RawHttp {

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");

    record Answer(int status, String head, String body) {}

    private RawHttp() {}

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body}; reads one answer. */
    static Answer exchange(int port, String head, byte[] body, int timeoutMillis) throws IOException {
        try (Socket socket = open(port, head, body, timeoutMillis)) {
            return read(socket);
        }
    }

    /** Opens a connection and sends the head and as much of the body as given, leaving it open. */
    static Socket open(int port, String head, byte[] body, int timeoutMillis) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(timeoutMillis);
        socket.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads one answer: status line and headers, and a Content-Length body (or all until the server closes). */
    static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4
                    && bytes[n - 4] == '\r'
                    && bytes[n - 3] == '\n'
                    && bytes[n - 2] == '\r'
                    && bytes[n - 1] == '\n') {
                break;
            }
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        Matcher status = STATUS.matcher(headText);
        if (!status.find()) {
            throw new IOException("no HTTP answer: " + headText);
        }
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headText);
        byte[] body;
        if (length.find()) {
            body = in.readNBytes(Integer.parseInt(length.group(1)));
        } else if (headText.toLowerCase().contains("transfer-encoding: chunked")) {
            body = dechunk(in);
        } else {
            body = in.readAllBytes();
        }
        return new Answer(Integer.parseInt(status.group(1)), headText, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int length = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
            if (length == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(length));
            in.read();
            in.read(); // CRLF after the chunk
        }
    }
}
