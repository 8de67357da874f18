package org.rasguard.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No card text is written in the Java of this package (issue 15): every word a card or a suggestion
 * shows is the knowledge package's ({@link CardTexts}, {@link CardPhrases}). Checked on the source: a
 * string literal that holds a word and a space ("Remove the ", " (EHR)") or a bold heading
 * ("**Evidence**") fails the build, unless it is part of an exception message (its statement throws or
 * builds an exception) or one of the few literals below.
 *
 * <p>Not caught: a single word without a space ("unknown"), which looks like the words and codes the
 * texts are filled in with ("drug", "delete"); review keeps those out.
 */
class CardLiteralsTest {

    private static final Path SOURCES = Path.of("src/main/java/org/rasguard/cards");
    /**
     * CardRules is the CDS Hooks conformance check of a response: its literals are the violations it
     * reports, which are not card text.
     */
    private static final Set<String> NOT_CARD_TEXT_FILES = Set.of("CardRules.java");
    /** {@code CardTexts.Text.where()}: names an action and a text in exception messages only. */
    private static final Set<String> ALLOWED = Set.of("action ", " text ");

    private static final Pattern WORD_AND_SPACE = Pattern.compile("(?=.*[A-Za-z]{2})(?=.* ).*", Pattern.DOTALL);
    private static final Pattern BOLD_HEADING = Pattern.compile(".*\\*\\*[A-Za-z].*", Pattern.DOTALL);

    /** A string literal (escapes resolved) and the code of its statement up to it. */
    record Literal(String value, String statement) {}

    @Test
    void noCardTextIsALiteralOfThisPackage() throws IOException {
        List<String> found = new ArrayList<>();
        int literals = 0;
        try (Stream<Path> sources = Files.list(SOURCES)) {
            for (Path source : sources.filter(file -> file.toString().endsWith(".java"))
                    .sorted()
                    .toList()) {
                if (NOT_CARD_TEXT_FILES.contains(source.getFileName().toString())) {
                    continue;
                }
                for (Literal literal : literals(Files.readString(source))) {
                    literals++;
                    if (isCardText(literal)) {
                        found.add(source.getFileName() + ": \"" + literal.value() + "\"");
                    }
                }
            }
        }
        assertThat(literals).as("the scan reads the package's literals").isGreaterThan(50);
        assertThat(found)
                .as("card text belongs in ig-resources (card-text extensions, sub-action titles, card-phrases)")
                .isEmpty();
    }

    @Test
    void theScanFindsWordsButNotExceptionMessagesCommentsOrKeys() {
        String source = """
                /** A comment "with words" is not code. */
                class Example {
                    // nor "this one"
                    String a() { return "Remove the " + drug + " order"; }
                    String b() { return "**Evidence**\\n\\n" + lines; }
                    String c() { return Map.of("drug", drug, "reasons", "; ").toString() + '"' + "{drug}"; }
                    void d() { throw new IllegalArgumentException("No value for " + word); }
                    String e() { return x.orElseThrow(() -> new IllegalStateException("Unknown CodeSystem " + url)); }
                    void f() { throw problem(plan, "needs a title on action " + id); }
                    String g() { return "\\"quoted\\" words"; }
                }
                """;
        List<String> flagged = literals(source).stream()
                .filter(CardLiteralsTest::isCardText)
                .map(Literal::value)
                .toList();

        assertThat(flagged).containsExactly("Remove the ", " order", "**Evidence**\n\n", "\"quoted\" words");
    }

    private static boolean isCardText(Literal literal) {
        boolean exceptionMessage = literal.statement().contains("Exception(")
                || literal.statement().contains("problem(");
        return !exceptionMessage
                && !ALLOWED.contains(literal.value())
                && (WORD_AND_SPACE.matcher(literal.value()).matches()
                        || BOLD_HEADING.matcher(literal.value()).matches());
    }

    /** The string literals and text blocks of a Java source, comments and character literals skipped. */
    static List<Literal> literals(String source) {
        List<Literal> out = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                out.add(new Literal(unescape(source.substring(i + 3, end)), statement.toString()));
                statement.append("\"\"");
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    out.add(new Literal(unescape(source.substring(i + 1, j)), statement.toString()));
                }
                statement.append(c).append(c);
                i = j + 1;
            } else {
                if (c == ';' || c == '{' || c == '}') {
                    statement.setLength(0);
                } else {
                    statement.append(c);
                }
                i++;
            }
        }
        return out;
    }

    private static String unescape(String literal) {
        return literal.replace("\\n", "\n")
                .replace("\\t", "\t")
                .replace("\\\"", "\"")
                .replace("\\'", "'")
                .replace("\\\\", "\\");
    }
}
