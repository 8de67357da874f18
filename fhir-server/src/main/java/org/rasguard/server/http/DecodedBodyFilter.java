package org.rasguard.server.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Hands every later guard and endpoint the body as it will be understood: decompressed and in UTF-8,
 * with the size limit counted on those decoded bytes. Without it the nesting and number guards saw
 * gzip or UTF-16 bytes they could not read, the size limit counted compressed bytes, and HAPI inflated
 * the body itself (issue 16, row 1: 100 bytes of gzip holding {@code 1e999999999} exhausted the heap;
 * 1 MB of gzip was 1 GiB).
 *
 * <ul>
 *   <li>over {@code RASGUARD_MAX_REQUEST_BYTES}, as sent or once decoded: 413 (decoding stops at the limit);
 *   <li>{@code Content-Encoding} (RFC 9110 8.4) {@code gzip}, {@code x-gzip}, {@code deflate} (zlib, or
 *       raw deflate as some clients send it) or {@code identity}; anything else, or a stack of codings:
 *       415; a body that does not decompress: 400;
 *   <li>a charset outside {@link MediaTypes#ACCEPTED_CHARSETS}: 415. A JSON, XML or text body in another
 *       accepted charset, or in UTF-16/32 without a label (BOM or the zero-byte pattern of RFC 4627 3),
 *       is decoded (400 if it does not decode) and handed on in UTF-8, labelled so; one in UTF-8 (labelled
 *       or by default) that is not well-formed UTF-8: 400;
 *   <li>a body that stalls past the connector's idle timeout: 408.
 * </ul>
 *
 * Form bodies are left to the container (see {@link FormBodies}); compressed forms are refused with 415.
 * The JDK's {@code java.util.zip} does the decompressing: Jetty's {@code GzipHandler} inflates gzip only,
 * and would leave the counting to us anyway.
 */
public final class DecodedBodyFilter extends HttpFilter {

    private static final List<String> CODINGS = List.of("gzip", "x-gzip", "deflate");

    private final long maxBytes;

    public DecodedBodyFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        String method = request.getMethod();
        if (declared == 0 || "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            chain.doFilter(request, response);
            return;
        }
        if (declared > maxBytes) {
            if (declared <= 2 * maxBytes) {
                // Read what the client is sending anyway, so it hears the 413 rather than a reset connection.
                try {
                    request.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException gone) {
                    // the client stopped sending; it gets the 413 if it still listens
                }
            }
            tooLarge(request, response);
            return;
        }
        String coding;
        try {
            coding = coding(request.getHeaders("Content-Encoding"));
        } catch (IllegalArgumentException unsupported) {
            refuse(
                    request,
                    response,
                    415,
                    "not-supported",
                    "unsupported-content-encoding",
                    "The Content-Encoding is not supported; send the body uncompressed, gzip or deflate.");
            return;
        }
        String contentType = request.getHeader("Content-Type");
        String charsetName = MediaTypes.charsetName(contentType);
        Charset declaredCharset = charsetName == null ? null : MediaTypes.acceptedCharset(charsetName);
        if (charsetName != null && declaredCharset == null) {
            refuse(
                    request,
                    response,
                    415,
                    "not-supported",
                    "unsupported-charset",
                    "The charset of the Content-Type is not supported; send UTF-8.");
            return;
        }
        if ("application/x-www-form-urlencoded".equals(MediaTypes.mediaType(contentType))) {
            form(request, response, chain, coding, declared);
            return;
        }

        byte[] body;
        try {
            body = readAtMost(request.getInputStream(), maxBytes, true);
        } catch (IOException e) {
            if (timedOut(e)) {
                response.setHeader("Connection", "close");
                refuse(request, response, 408, "timeout", "body-timeout", "The request body did not arrive in time.");
                return;
            }
            throw e;
        }
        if (body == null) {
            tooLarge(request, response);
            return;
        }
        if (coding != null) {
            try {
                body = decompress(body, coding, maxBytes);
            } catch (IOException e) {
                refuse(
                        request,
                        response,
                        400,
                        "invalid",
                        "bad-content-encoding",
                        "The body is not valid " + coding + " data.");
                return;
            }
            if (body == null) {
                tooLarge(request, response);
                return;
            }
        }
        boolean relabel = false;
        if (MediaTypes.isText(contentType)) {
            Charset charset = declaredCharset != null ? declaredCharset : unlabelledUnicode(body);
            if (charset != null
                    && !charset.equals(StandardCharsets.UTF_8)
                    && !charset.equals(StandardCharsets.US_ASCII)) {
                try {
                    body = toUtf8(body, charset);
                } catch (CharacterCodingException e) {
                    notInItsCharset(request, response, "The body is not valid " + charset.name() + ".");
                    return;
                }
                if (body.length > maxBytes) {
                    tooLarge(request, response);
                    return;
                }
                relabel = true;
            } else if (!isUtf8(body)) {
                // Read as UTF-8, each bad byte became U+FFFD and was stored so ("M\ufffdller": an outside attack).
                notInItsCharset(
                        request,
                        response,
                        "The body is not valid UTF-8 (label another charset in the Content-Type, or send UTF-8).");
                return;
            }
        }
        chain.doFilter(
                new DecodedRequest(request, body, relabel ? MediaTypes.withUtf8(contentType) : contentType), response);
    }

    private static void notInItsCharset(HttpServletRequest request, HttpServletResponse response, String message)
            throws IOException {
        refuse(request, response, 400, "invalid", "bad-charset-encoding", message);
    }

    private void form(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain, String coding, long declared)
            throws IOException, ServletException {
        if (coding != null) {
            refuse(
                    request,
                    response,
                    415,
                    "not-supported",
                    "unsupported-content-encoding",
                    "A form body is accepted uncompressed only.");
            return;
        }
        if (declared < 0) {
            try {
                FormBodies.parseIfForm(request); // a chunked form: the container's form size limit applies
            } catch (IllegalArgumentException e) {
                tooLarge(request, response);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The one content coding to undo, null for none; IllegalArgumentException for one we do not decode. */
    static String coding(Enumeration<String> headers) {
        List<String> codings = new ArrayList<>();
        for (String header : headers == null ? List.<String>of() : Collections.list(headers)) {
            for (String coding : header.split(",")) {
                String name = coding.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !name.equals("identity")) {
                    codings.add(name);
                }
            }
        }
        if (codings.isEmpty()) {
            return null;
        }
        if (codings.size() > 1 || !CODINGS.contains(codings.get(0))) {
            throw new IllegalArgumentException("unsupported content coding");
        }
        return codings.get(0).equals("x-gzip") ? "gzip" : codings.get(0);
    }

    /** The decompressed body, or null when it is longer than {@code limit}; decompression stops there. */
    static byte[] decompress(byte[] body, String coding, long limit) throws IOException {
        InputStream decoded;
        if (coding.equals("gzip")) {
            decoded = new GZIPInputStream(new ByteArrayInputStream(body));
        } else {
            // RFC 9110 8.4.1.2: "deflate" is the zlib format; some clients send raw deflate without its header.
            boolean zlib =
                    body.length >= 2 && (body[0] & 0x0f) == 8 && (((body[0] & 0xff) << 8) | (body[1] & 0xff)) % 31 == 0;
            decoded = new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(!zlib));
        }
        try (InputStream in = decoded) {
            return readAtMost(in, limit, false);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IOException("not " + coding, e);
        }
    }

    /**
     * UTF-16 or UTF-32 recognised without a charset label: by its byte order mark, or by the zero bytes
     * that ASCII characters (every JSON and XML text starts with one) have in those encodings (RFC 4627 3).
     */
    static Charset unlabelledUnicode(byte[] body) {
        if (body.length >= 4) {
            int b0 = body[0] & 0xff;
            int b1 = body[1] & 0xff;
            int b2 = body[2] & 0xff;
            int b3 = body[3] & 0xff;
            if (b0 == 0 && b1 == 0 && b2 == 0xfe && b3 == 0xff) {
                return Charset.forName("UTF-32BE");
            }
            if (b0 == 0xff && b1 == 0xfe && b2 == 0 && b3 == 0) {
                return Charset.forName("UTF-32LE");
            }
            if (b0 == 0 && b1 == 0 && b2 == 0 && b3 != 0) {
                return Charset.forName("UTF-32BE");
            }
            if (b0 != 0 && b1 == 0 && b2 == 0 && b3 == 0) {
                return Charset.forName("UTF-32LE");
            }
        }
        if (body.length >= 2) {
            int b0 = body[0] & 0xff;
            int b1 = body[1] & 0xff;
            if ((b0 == 0xfe && b1 == 0xff) || (b0 == 0 && b1 != 0)) {
                return StandardCharsets.UTF_16BE;
            }
            if ((b0 == 0xff && b1 == 0xfe) || (b0 != 0 && b1 == 0)) {
                return StandardCharsets.UTF_16LE;
            }
        }
        return null;
    }

    /** Whether the bytes are well-formed UTF-8 (no overlong forms, surrogates or stray bytes: RFC 3629). */
    static boolean isUtf8(byte[] body) {
        try {
            decodeStrictly(body, StandardCharsets.UTF_8);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Strict decoding (malformed input is an error, not a replacement character); a leading BOM dropped. */
    static byte[] toUtf8(byte[] body, Charset charset) throws CharacterCodingException {
        String text = decodeStrictly(body, charset).toString();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CharBuffer decodeStrictly(byte[] body, Charset charset) throws CharacterCodingException {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body));
    }

    /**
     * The whole stream, or null when it is longer than {@code limit}. With {@code drain}, an over-long
     * body is still read (and dropped) up to twice the limit, so a client that is still sending gets the
     * 413 instead of a reset connection; past that the connection is closed on it. Decompressed output
     * is never drained: it would be the inflation the limit is there to stop.
     */
    private static byte[] readAtMost(InputStream in, long limit, boolean drain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(chunk)) != -1) {
            total += read;
            if (total > limit) {
                while (drain && total <= 2 * limit && (read = in.read(chunk)) != -1) {
                    total += read;
                }
                return null;
            }
            out.write(chunk, 0, read);
        }
        return out.toByteArray();
    }

    /** Jetty fails a read that waited past the idle timeout with a {@link TimeoutException} as the cause. */
    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close");
        refuse(
                request,
                response,
                413,
                "too-long",
                "body-too-large",
                "The request body is larger than the configured limit.");
    }

    private static void refuse(
            HttpServletRequest request,
            HttpServletResponse response,
            int status,
            String issueType,
            String code,
            String message)
            throws IOException {
        Refusals.refuse(request, response, status, issueType, code, message);
    }

    /** The decoded body, with the headers that described the encoded one rewritten to describe it. */
    private static final class DecodedRequest extends BufferedBodyRequest {

        private final String contentType;

        DecodedRequest(HttpServletRequest request, byte[] body, String contentType) {
            super(request, body);
            this.contentType = contentType;
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getCharacterEncoding() {
            String name = MediaTypes.charsetName(contentType);
            return name != null ? name : super.getCharacterEncoding();
        }

        @Override
        public String getHeader(String name) {
            if ("Content-Encoding".equalsIgnoreCase(name)) {
                return null;
            }
            if ("Content-Type".equalsIgnoreCase(name)) {
                return contentType;
            }
            if ("Content-Length".equalsIgnoreCase(name)) {
                return String.valueOf(getContentLengthLong());
            }
            return super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String single = getHeader(name);
            if ("Content-Encoding".equalsIgnoreCase(name)
                    || "Content-Type".equalsIgnoreCase(name)
                    || "Content-Length".equalsIgnoreCase(name)) {
                return single == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(single));
            }
            return super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (String name : Collections.list(super.getHeaderNames())) {
                if (!name.equalsIgnoreCase("Content-Encoding") && !name.equalsIgnoreCase("Transfer-Encoding")) {
                    names.add(name);
                }
            }
            return Collections.enumeration(names);
        }
    }
}
