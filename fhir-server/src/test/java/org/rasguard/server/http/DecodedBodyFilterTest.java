package org.rasguard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DecodedBodyFilterTest {

    private static final String JSON = "{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":1e999999999}}";

    @Test
    void gzipAndBothFormsOfDeflateAreUndone() throws IOException {
        byte[] plain = JSON.getBytes(StandardCharsets.UTF_8);
        assertThat(DecodedBodyFilter.decompress(gzip(plain), "gzip", 1_000)).isEqualTo(plain);
        assertThat(DecodedBodyFilter.decompress(deflate(plain, false), "deflate", 1_000))
                .isEqualTo(plain);
        assertThat(DecodedBodyFilter.decompress(deflate(plain, true), "deflate", 1_000))
                .isEqualTo(plain);
    }

    @Test
    void decompressionStopsAtTheLimitInsteadOfInflatingABomb() throws IOException {
        byte[] bomb = gzip(new byte[50 * 1024 * 1024]); // 50 MB of zeros: some 50 KB compressed
        assertThat(bomb.length).isLessThan(100_000);
        assertThat(DecodedBodyFilter.decompress(bomb, "gzip", 1024 * 1024)).isNull();
    }

    @Test
    void aBodyThatIsNotWhatItsCodingSaysIsAnError() {
        assertThatThrownBy(() -> DecodedBodyFilter.decompress(JSON.getBytes(StandardCharsets.UTF_8), "gzip", 1_000))
                .isInstanceOf(IOException.class);
    }

    @Test
    void onlyWellFormedUtf8IsUtf8() {
        assertThat(DecodedBodyFilter.isUtf8("M\u00fcller \ud83e\uddec".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(DecodedBodyFilter.isUtf8("M\u00fcller".getBytes(StandardCharsets.ISO_8859_1)))
                .as("Latin-1 sent as UTF-8")
                .isFalse();
        assertThat(DecodedBodyFilter.isUtf8(new byte[] {(byte) 0xc0, (byte) 0xbc}))
                .as("overlong")
                .isFalse();
        assertThat(DecodedBodyFilter.isUtf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}))
                .as("CESU surrogate")
                .isFalse();
        assertThat(DecodedBodyFilter.isUtf8(new byte[] {(byte) 0xc3, (byte) 0x28}))
                .isFalse();
    }

    @Test
    void onlyOneKnownCodingIsAccepted() {
        assertThat(DecodedBodyFilter.coding(Collections.enumeration(List.of()))).isNull();
        assertThat(DecodedBodyFilter.coding(Collections.enumeration(List.of("identity"))))
                .isNull();
        assertThat(DecodedBodyFilter.coding(Collections.enumeration(List.of("GZIP"))))
                .isEqualTo("gzip");
        assertThat(DecodedBodyFilter.coding(Collections.enumeration(List.of("x-gzip"))))
                .isEqualTo("gzip");
        assertThat(DecodedBodyFilter.coding(Collections.enumeration(List.of("deflate"))))
                .isEqualTo("deflate");
        assertThatThrownBy(() -> DecodedBodyFilter.coding(Collections.enumeration(List.of("br"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DecodedBodyFilter.coding(Collections.enumeration(List.of("gzip, gzip"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unlabelledUtf16AndUtf32AreRecognisedAndUtf8IsLeftAlone() {
        assertThat(DecodedBodyFilter.unlabelledUnicode(JSON.getBytes(StandardCharsets.UTF_16LE)))
                .isEqualTo(StandardCharsets.UTF_16LE);
        assertThat(DecodedBodyFilter.unlabelledUnicode(JSON.getBytes(StandardCharsets.UTF_16BE)))
                .isEqualTo(StandardCharsets.UTF_16BE);
        assertThat(DecodedBodyFilter.unlabelledUnicode(JSON.getBytes(StandardCharsets.UTF_16)))
                .isEqualTo(StandardCharsets.UTF_16BE); // with BOM
        assertThat(DecodedBodyFilter.unlabelledUnicode(JSON.getBytes(java.nio.charset.Charset.forName("UTF-32LE")))
                        .name())
                .isEqualTo("UTF-32LE");
        assertThat(DecodedBodyFilter.unlabelledUnicode(JSON.getBytes(StandardCharsets.UTF_8)))
                .isNull();
        assertThat(DecodedBodyFilter.unlabelledUnicode(("\uFEFF" + JSON).getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    @Test
    void transcodingIsStrictAndDropsTheByteOrderMark() throws Exception {
        assertThat(new String(
                        DecodedBodyFilter.toUtf8(JSON.getBytes(StandardCharsets.UTF_16), StandardCharsets.UTF_16),
                        StandardCharsets.UTF_8))
                .isEqualTo(JSON);
        assertThatThrownBy(() -> DecodedBodyFilter.toUtf8(new byte[] {0x7b, 0x00, 0x00}, StandardCharsets.UTF_16LE))
                .isInstanceOf(java.nio.charset.CharacterCodingException.class);
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] plain, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate =
                new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            deflate.write(plain);
        }
        return out.toByteArray();
    }
}
