package org.rasguard.cards;

import java.util.regex.Pattern;

/** Text from clinical data made safe inside GitHub-flavoured markdown: no HTML, links or emphasis from data. */
final class Markdown {

    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}]+");
    private static final Pattern SPECIAL = Pattern.compile("([\\\\`*_\\[\\]<>#|!~])");

    private Markdown() {}

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        String flat = CONTROL.matcher(text).replaceAll(" ").strip();
        if (flat.length() > 300) {
            flat = flat.substring(0, 300) + "…";
        }
        return SPECIAL.matcher(flat).replaceAll("\\\\$1");
    }
}
