package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 row 13: data in card text can open no link, emphasis or HTML, and carries no invisible
 * format character. Rendered with a real CommonMark parser (commonmark-java): the HTML has no element
 * but the paragraph, and the text reads as the data did.
 */
class MarkdownTextTest {

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder().build();
    private static final TextContentRenderer TEXT =
            TextContentRenderer.builder().build();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "NM_004985.5:c.35G>A",
                "p.(Gly12Asp) see https://attacker.example/x?a=1&b=2",
                "www.attacker.example",
                "mail doctor@attacker.example",
                "[click](https://attacker.example) ![img](https://attacker.example/a.png)",
                "<https://attacker.example> <img src=x onerror=alert(1)> &lt;b&gt; &#x41;",
                "**bold** __bold__ *em* _em_ ~~strike~~ `code`",
                "# heading | table | - item + item 1. item > quote",
                "back\\slash \\*escaped\\* [ref]: https://attacker.example",
                "KRAS_G12D_mutation_detected",
            })
    void dataRendersAsItselfAndOpensNothing(String data) {
        String escaped = MarkdownText.escape(data);
        String html = HTML.render(PARSER.parse(escaped)).strip();
        assertThat(html).as(escaped).startsWith("<p>").endsWith("</p>");
        assertThat(html.substring(3, html.length() - 4))
                .as(html)
                .doesNotContain("<a", "<img", "<em", "<strong", "<code", "<del");
        assertThat(html.substring(3, html.length() - 4)).as(html).doesNotContainPattern("<[a-z/]");
        assertThat(TEXT.render(PARSER.parse(escaped)).strip()).isEqualTo(data);
    }

    @Test
    void bareUrlsAndAddressesAreBrokenForGithubsAutolinks() {
        // GFM's autolink extension starts at "www.", "http://", "https://" and "@": each is escaped.
        assertThat(MarkdownText.escape("https://attacker.example")).isEqualTo("https\\:\\/\\/attacker\\.example");
        assertThat(MarkdownText.escape("www.attacker.example")).doesNotContain("www.");
        assertThat(MarkdownText.escape("a@b.example")).contains("\\@");
    }

    @Test
    void bidiControlsAndOtherInvisibleFormatCharactersAreRemoved() {
        String name =
                "Smith\u202Egnirts\u202C \u2066iso\u2069 \u200Bzero\u200D\uFEFF\u200E\u200F\u061C\u00AD\u202A\u202B\u202D\u2067\u2068.";
        assertThat(MarkdownText.visible(name)).isEqualTo("Smithgnirts iso zero.");
        assertThat(MarkdownText.escape(name)).isEqualTo("Smithgnirts iso zero\\.");
        assertThat(MarkdownText.visible(name).codePoints().filter(c -> Character.getType(c) == Character.FORMAT))
                .isEmpty();
        assertThat(MarkdownText.visible("line\nbreak\u2028and\u2029para\ttab")).isEqualTo("line break and para tab");
        assertThat(MarkdownText.withoutInvisible("**Evidence**\n\n- KRAS \u202Eevil"))
                .isEqualTo("**Evidence**\n\n- KRAS evil");
    }

    @Test
    void longDataIsCutAndNullIsEmpty() {
        assertThat(MarkdownText.escape("x".repeat(400)))
                .hasSize(MarkdownText.MAX_LENGTH + 1)
                .endsWith("…");
        assertThat(MarkdownText.escape(null)).isEmpty();
        assertThat(MarkdownText.visible(null)).isEmpty();
    }
}
