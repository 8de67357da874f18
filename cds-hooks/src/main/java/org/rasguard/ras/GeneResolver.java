package org.rasguard.ras;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.rasguard.knowledge.Code;

/**
 * Tells which RAS gene a gene coding or a text names, and whether the coding contradicts itself.
 *
 * <p>Accepts {@code HGNC:6407}, a bare {@code 6407} (legacy senders, GR coding guidance), NCBI Gene
 * ids, and the symbol or a synonym in the display or text (genomics.md §3.1). When a code and its
 * display name different genes (the mCODE 4.0.0 NRAS/KIT pertinent negative swaps
 * {@code HGNC:6342} and {@code HGNC:7989}), every RAS gene involved is marked conflicted: such
 * evidence is indeterminate and never makes a gene wild-type.
 */
final class GeneResolver {

    private static final Pattern CONNECTOR_ONLY =
            Pattern.compile("[\\s,/&+]*(?:and|or)?[\\s,/&+]*", Pattern.CASE_INSENSITIVE);

    private static final Pattern NAME_SEPARATOR = Pattern.compile("[\\s\\-._/]+");
    private static final Pattern NUMERIC_ID = Pattern.compile("\\d{1,9}");
    private static final Pattern GENE_GROUP_SYSTEM = Pattern.compile("https://(www\\.)?genenames\\.org/genegroup");
    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]");

    private final RasVocabulary vocabulary;
    /**
     * Each gene's names as one whole-word pattern (an alternation of its names) whose separators may be
     * written as hyphen, space, dot or nothing: one pass over a text per gene, not one per name.
     */
    private final Map<Gene, Pattern> namePatterns;

    GeneResolver(RasVocabulary vocabulary) {
        this.vocabulary = vocabulary;
        Map<Gene, Pattern> patterns = new EnumMap<>(Gene.class);
        vocabulary.geneNames().forEach((gene, names) -> patterns.put(gene, namesPattern(names)));
        this.namePatterns = patterns;
    }

    /**
     * "K-RAS" also as "KRAS", "K RAS" or "k.ras"; "c-Ki-ras" as "c-Ki-Ras" or "cKiras": a name's
     * separators are optional and interchangeable, letters ignore case, and the name stands alone.
     */
    private static Pattern namesPattern(List<String> allNames) {
        // A blank designation would name the gene in every text: never a name.
        List<String> names = allNames.stream().filter(name -> !name.isBlank()).toList();
        StringBuilder regex = new StringBuilder("(?<![\\p{L}\\p{N}])(?:");
        for (int n = 0; n < names.size(); n++) {
            if (n > 0) {
                regex.append('|');
            }
            String[] parts = NAME_SEPARATOR.split(names.get(n).trim());
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    regex.append("[\\s\\-._/]?");
                }
                regex.append(Pattern.quote(parts[i]));
            }
        }
        // An alternative that matches but is followed by a letter or digit ("KRAS" in "KRAS2") backtracks
        // into the next one, so a text matches exactly when one of the names alone would.
        regex.append(")(?![\\p{L}\\p{N}])");
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** A symbol reduced to letters and digits in upper case, so "K-ras" and "KRAS" compare equal. */
    private static String normalised(String symbol) {
        return NOT_LETTER_OR_DIGIT.matcher(symbol).replaceAll("").toUpperCase(Locale.ROOT);
    }

    /** The RAS genes a gene concept names, each mapped to true when its identity is conflicted. */
    Map<Gene, Boolean> genesOf(CodeableConcept concept) {
        Map<Gene, Boolean> genes = new EnumMap<>(Gene.class);
        if (concept == null) {
            return genes;
        }
        for (Coding coding : concept.getCoding()) {
            if (GenomicsCodes.HGNC_GENE_GROUP_SYSTEM.equals(coding.getSystem())
                    || GENE_GROUP_SYSTEM
                            .matcher(String.valueOf(coding.getSystem()))
                            .matches()) {
                continue;
            }
            Optional<GeneCode> coded = geneCode(coding);
            Set<Gene> displayed = genesNamedIn(coding.getDisplay());
            boolean displayNamesSomething =
                    coding.hasDisplay() && !coding.getDisplay().isBlank();
            if (coded.isPresent() && coded.get().rasGene().isPresent()) {
                Gene gene = coded.get().rasGene().get();
                boolean agrees = !displayNamesSomething || displayed.equals(Set.of(gene));
                mark(genes, gene, !agrees);
                displayed.forEach(other -> mark(genes, other, !agrees));
            } else if (coded.isPresent()) {
                displayed.forEach(other -> mark(genes, other, true));
            } else {
                displayed.forEach(gene -> mark(genes, gene, false));
            }
        }
        Set<Gene> inText = genesNamedIn(concept.getText());
        for (Gene gene : inText) {
            boolean codedOtherwise =
                    !concept.getCoding().isEmpty() && !genes.containsKey(gene) && hasAnyGeneCode(concept);
            mark(genes, gene, codedOtherwise);
        }
        if (!inText.isEmpty()) {
            genes.keySet().stream()
                    .filter(gene -> !inText.contains(gene))
                    .toList()
                    .forEach(gene -> genes.put(gene, true));
        }
        return genes;
    }

    /** True when the concept names BRAF, by code or by symbol, without contradiction. */
    boolean namesBraf(CodeableConcept concept) {
        if (concept == null) {
            return false;
        }
        for (Coding coding : concept.getCoding()) {
            Optional<GeneCode> coded = geneCode(coding);
            boolean displayBraf = vocabulary.brafNames().stream()
                    .anyMatch(name -> TextSignals.containsWord(coding.getDisplay(), name));
            if (coded.isPresent() ? coded.get().braf() && (!coding.hasDisplay() || displayBraf) : displayBraf) {
                return true;
            }
        }
        return vocabulary.brafNames().stream().anyMatch(name -> TextSignals.containsWord(concept.getText(), name));
    }

    /** The RAS genes whose symbol or synonym occurs as a whole word in a text. */
    Set<Gene> genesNamedIn(String text) {
        Set<Gene> genes = EnumSet.noneOf(Gene.class);
        if (text == null || text.isBlank()) {
            return genes;
        }
        for (Map.Entry<Gene, Pattern> names : namePatterns.entrySet()) {
            if (names.getValue().matcher(text).find()) {
                genes.add(names.getKey());
            }
        }
        return genes;
    }

    /**
     * The parts of a text that speak about one gene, so that "KRAS exons 2-4, NRAS exon 2 not
     * detected" gives NRAS only exon 2: what precedes the first gene name (shared), and every stretch
     * from a name of this gene to the next gene name. A stretch that holds nothing but names and
     * "and" / "," / "/" ("KRAS and NRAS codons 12/13") shares the stretch that follows.
     */
    String partAbout(String text, Gene gene) {
        if (text == null || text.isBlank()) {
            return "";
        }
        TreeMap<Integer, Integer> mentions = new TreeMap<>();
        Map<Integer, Gene> geneAt = new HashMap<>();
        String lowered = text.toLowerCase(Locale.ROOT); // once for all the names
        for (Map.Entry<Gene, List<String>> names : vocabulary.geneNames().entrySet()) {
            for (String name : names.getValue()) {
                for (int at : TextSignals.wordPositionsInLowerCase(lowered, name)) {
                    mentions.merge(at, at + name.length(), Math::max);
                    geneAt.put(at, names.getKey());
                }
            }
        }
        if (mentions.isEmpty()) {
            return text;
        }
        StringBuilder part = new StringBuilder(text.substring(0, mentions.firstKey()));
        boolean pending = false;
        List<Integer> starts = new ArrayList<>(mentions.keySet());
        for (int i = 0; i < starts.size(); i++) {
            int start = starts.get(i);
            int end = i + 1 < starts.size() ? starts.get(i + 1) : text.length();
            String rest = text.substring(Math.min(mentions.get(start), end), end);
            boolean about = pending || geneAt.get(start) == gene;
            if (CONNECTOR_ONLY.matcher(rest).matches()) {
                pending = about;
                continue;
            }
            if (about) {
                part.append(' ').append(text, start, end);
            }
            pending = false;
        }
        return part.toString();
    }

    /**
     * A text without its sentences ({@link NarrativeReportReader#SENTENCE}) that name one of the other
     * genes and neither KRAS nor NRAS: what such a sentence says is about that gene.
     */
    String withoutSentencesAboutOnly(String text, List<String> otherGeneNames) {
        if (text == null || otherGeneNames.stream().noneMatch(name -> TextSignals.containsWord(text, name))) {
            return text;
        }
        StringBuilder kept = new StringBuilder();
        for (String sentence : NarrativeReportReader.SENTENCE.split(text)) {
            boolean aboutAnotherGeneOnly = genesNamedIn(sentence).isEmpty()
                    && otherGeneNames.stream().anyMatch(name -> TextSignals.containsWord(sentence, name));
            if (!aboutAnotherGeneOnly) {
                kept.append(sentence).append('\n');
            }
        }
        return kept.toString();
    }

    /** A gene symbol as HGNC writes them: capitals and digits, perhaps one hyphenated part ("HLA-A"). */
    private static final Pattern SYMBOL_LIKE = Pattern.compile("[A-Z][A-Z0-9]{1,9}(?:-[A-Z0-9]{1,4})?");

    /**
     * Whether a gene-studied value names some gene this reader can recognise as one: an HGNC or NCBI Gene
     * code, or a word written as a gene symbol. An Ensembl id, a local code or a name like "Ki-ras2" is
     * not recognised: a present variant on such a gene cannot be placed ({@link VariantReader}).
     */
    boolean namesSomeGene(org.hl7.fhir.r4.model.Type value) {
        if (value instanceof CodeableConcept concept) {
            return hasAnyGeneCode(concept)
                    || !genesOf(concept).isEmpty()
                    || symbolLike(concept.getText())
                    || concept.getCoding().stream()
                            .anyMatch(coding -> symbolLike(coding.getDisplay())
                                    || (coding.getSystem() == null && symbolLike(coding.getCode())));
        }
        return value instanceof org.hl7.fhir.r4.model.StringType symbol
                && (symbolLike(symbol.getValue())
                        || !genesNamedIn(symbol.getValue()).isEmpty());
    }

    /** Capitalised words of genetics reports that are no gene symbol. */
    private static final java.util.Set<String> NOT_GENES = java.util.Set.of(
            "DNA", "RNA", "CDNA", "HGVS", "VAF", "NGS", "PCR", "CNV", "SNV", "MNV", "INDEL", "MSI", "MSS", "TMB",
            "FFPE", "LOH", "VUS", "HGNC", "COSMIC", "GRCH37", "GRCH38", "HG19", "HG38", "WT", "NA", "ID", "QC");

    /**
     * Whether a text names a gene by a symbol-like word ("TP53 variant", "APC c.4348C>T") that is no RAS
     * gene and no common report word: a present variant so described is placed, on another gene.
     */
    boolean textNamesAnotherGene(String text) {
        if (text == null || text.isBlank() || !genesNamedIn(text).isEmpty()) {
            return false;
        }
        for (String word : text.split("[^A-Za-z0-9-]+")) {
            // Not a protein change (G12D), a one- or two-letter word, nor a database id (COSM521, VCV000012582).
            if (symbolLike(word)
                    && !NOT_GENES.contains(word)
                    && !word.matches("[A-Z]\\d+[A-Z*]?|[A-Z]{1,2}|(?:COSM|COSV|VCV|RCV|SCV)\\d+|.*\\d{4,}.*")) {
                return true;
            }
        }
        return false;
    }

    private static boolean symbolLike(String text) {
        return text != null && SYMBOL_LIKE.matcher(text.strip()).matches();
    }

    private boolean hasAnyGeneCode(CodeableConcept concept) {
        return concept.getCoding().stream().anyMatch(coding -> geneCode(coding).isPresent());
    }

    private static void mark(Map<Gene, Boolean> genes, Gene gene, boolean conflicted) {
        genes.merge(gene, conflicted, Boolean::logicalOr);
    }

    private GeneCode symbol(String symbol) {
        String wanted = normalised(symbol);
        for (Map.Entry<Gene, List<String>> names : vocabulary.geneNames().entrySet()) {
            if (names.getValue().stream().anyMatch(name -> normalised(name).equals(wanted))) {
                return new GeneCode(Optional.of(names.getKey()), false);
            }
        }
        return new GeneCode(
                Optional.empty(),
                vocabulary.brafNames().stream()
                        .anyMatch(name -> normalised(name).equals(wanted)));
    }

    /** A gene code: which RAS gene it is (if any), and whether it is BRAF. */
    private record GeneCode(Optional<Gene> rasGene, boolean braf) {}

    /**
     * Reads an HGNC or NCBI Gene code in any of the accepted system and code spellings; empty when
     * the coding has none. In an HGNC system a code that is not an id is read as a symbol (senders
     * put "KRAS" where the id belongs): a current or previous symbol or alias of the knowledge
     * package, in any casing and punctuation, names that gene; any other symbol names another gene.
     */
    private Optional<GeneCode> geneCode(Coding coding) {
        if (!coding.hasCode() || coding.getCode().isBlank()) {
            return Optional.empty();
        }
        String value = coding.getCode().trim();
        String system = coding.getSystem();
        Code normalised;
        // Set.of(..).contains(null) throws: a coding without a system is tested for the CURIE form only.
        if ((system != null && GenomicsCodes.HGNC_SYSTEMS.contains(system))
                || (system == null && value.toUpperCase(Locale.ROOT).startsWith("HGNC:"))) {
            String id = (value.toUpperCase(Locale.ROOT).startsWith("HGNC:") ? value.substring(5) : value).trim();
            if (!NUMERIC_ID.matcher(id).matches()) {
                return Optional.of(symbol(id));
            }
            normalised = new Code(GenomicsCodes.HGNC, "HGNC:" + id, null);
        } else if (system != null && GenomicsCodes.NCBI_GENE_SYSTEMS.contains(system)) {
            normalised = new Code(GenomicsCodes.NCBI_GENE, value, null);
        } else {
            return Optional.empty();
        }
        return Optional.of(new GeneCode(vocabulary.geneOf(normalised), vocabulary.isBraf(normalised)));
    }
}
