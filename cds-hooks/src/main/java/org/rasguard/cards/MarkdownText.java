package org.rasguard.cards;

import java.util.regex.Pattern;

/**
 * Strings that come from the patient's record or the request (names, HGVS strings, displays, dates,
 * references) made safe in card text, in one place:
 *
 * <ul>
 *   <li>invisible characters go: every Unicode format character (category Cf: the bidi embeddings,
 *       overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E/U+200F/U+061C,
 *       zero-width characters, U+FEFF), so no name renders reversed or hides text; controls and line or
 *       paragraph separators become one space;
 *   <li>in markdown ({@link #escape}), every ASCII punctuation character is backslash-escaped: CommonMark
 *       lets any of them be escaped and then shows it as itself (CommonMark 0.31 §2.4), so data opens no
 *       link, image, emphasis, code span, HTML tag or entity, and GitHub's autolinks ({@code www.},
 *       {@code https://}, e-mail addresses) are broken by the escaped {@code .}, {@code :} and {@code @}.
 * </ul>
 *
 * @see <a href="https://spec.commonmark.org/0.31.2/#backslash-escapes">CommonMark: backslash escapes</a>
 * @see <a href="https://github.github.com/gfm/#autolinks-extension-">GFM: autolinks</a>
 */
public final class MarkdownText {

    static final int MAX_LENGTH = 300;
    private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}+");
    private static final Pattern BREAKS = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]+");
    private static final Pattern PUNCTUATION = Pattern.compile("([!-/:-@\\[-`{-~])");

    private MarkdownText() {}

    /** Data for a markdown field ({@code detail}): visible, on one line, at most {@value #MAX_LENGTH} characters, escaped. */
    public static String escape(String text) {
        String flat = visible(text);
        if (flat.length() > MAX_LENGTH) {
            flat = flat.substring(0, MAX_LENGTH) + "…";
        }
        return PUNCTUATION.matcher(flat).replaceAll("\\\\$1");
    }

    /** Plain text ({@code summary}, labels): invisible characters removed, controls and line breaks as one space. */
    public static String visible(String text) {
        if (text == null) {
            return "";
        }
        return BREAKS.matcher(INVISIBLE.matcher(text).replaceAll(""))
                .replaceAll(" ")
                .strip();
    }

    /** Text we assembled (markdown or plain) with any invisible format character left out; line breaks kept. */
    static String withoutInvisible(String text) {
        return text == null ? null : INVISIBLE.matcher(text).replaceAll("");
    }
}
