package org.rasguard.cards;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.rasguard.cards.CdsResponse.Action;
import org.rasguard.cards.CdsResponse.Card;
import org.rasguard.cards.CdsResponse.Coding;
import org.rasguard.cards.CdsResponse.Source;
import org.rasguard.cards.CdsResponse.Suggestion;
import org.rasguard.drugs.AntiEgfrDrug;
import org.rasguard.drugs.BrafInhibitor;
import org.rasguard.drugs.G12cInhibitor;
import org.rasguard.knowledge.Code;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.ras.EvidenceCall;
import org.rasguard.ras.EvidenceItem;
import org.rasguard.ras.Gene;
import org.rasguard.ras.GeneVerdict;
import org.rasguard.ras.RasAssessment;
import org.rasguard.ras.UnknownReason;
import org.rasguard.ras.VariantFinding;

/**
 * Writes the card for one decision: summary, markdown detail with the evidence (gene, variant, date,
 * specimen, report), why, and what to do instead; the suggestions (remove the order, order extended
 * RAS testing, add the approved G12C partner) and the coded override reasons every card carries.
 * All wording is here, in one place, for clinical review.
 */
public final class CardFactory {

    /** Prefix that marks evidence read from RAS Guard's own store (see the hooks package). */
    public static final String STORE_ID_PREFIX = "rasguard-store-";

    public static final String OVERRIDE_SYSTEM = "http://rasguard.org/fhir/CodeSystem/cds-override-reason";
    public static final String SOURCE_LABEL = "RAS Guard";
    /** ASCO provisional clinical opinion on extended RAS testing, as summarised by NCBI Medical Genetics Summaries. */
    public static final String GUIDELINE_URL = "https://www.ncbi.nlm.nih.gov/books/NBK564800/";
    static final String EXTENDED_RAS_TESTING = KnowledgeBase.CANONICAL_BASE + "/ActivityDefinition/order-extended-ras-testing";

    static final int MAX_SUMMARY = 139;
    private static final int MAX_EVIDENCE_LINES = 12;

    private final FhirContext fhir;
    private final ObjectMapper json;
    private final Supplier<UUID> uuids;
    /** The extended RAS test as the knowledge package defines it: code, intent, priority, canonical. */
    private final ActivityDefinition extendedRasTest;
    private final KnowledgeBase knowledge;
    /** Every card offers these, so a clinician can say why they go ahead: the CodeSystem's concepts, in order. */
    private final List<Coding> overrideReasons;

    public CardFactory(KnowledgeBase knowledge, FhirContext fhir, ObjectMapper json, Supplier<UUID> uuids) {
        this.knowledge = knowledge;
        this.fhir = fhir;
        this.json = json;
        this.uuids = uuids;
        ActivityDefinition test = knowledge.artifacts().stream()
                .filter(ActivityDefinition.class::isInstance).map(ActivityDefinition.class::cast)
                .filter(definition -> EXTENDED_RAS_TESTING.equals(definition.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown ActivityDefinition " + EXTENDED_RAS_TESTING));
        if (!test.hasIntent() || !test.getCode().getCoding().stream().allMatch(c -> c.hasSystem() && c.hasCode() && c.hasDisplay())) {
            throw new IllegalArgumentException("ActivityDefinition " + EXTENDED_RAS_TESTING + " needs an intent and codings with system, code and display");
        }
        this.extendedRasTest = test;
        this.overrideReasons = knowledge.codeSystem(OVERRIDE_SYSTEM)
                .map(reasons -> reasons.getConcept().stream()
                        .map(concept -> new Coding(OVERRIDE_SYSTEM, concept.getCode(), concept.getDisplay()))
                        .toList())
                .filter(reasons -> !reasons.isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("No override reasons: CodeSystem " + OVERRIDE_SYSTEM + " is missing or empty"));
    }

    public Card card(CardInput input) {
        return switch (input.kind()) {
            case RAS_MUTANT -> mutant(input, false);
            case G12C_WITHOUT_PARTNER -> mutant(input, true);
            case RAS_UNKNOWN -> unknown(input);
            case G12C_APPROVED_COMBINATION -> approvedCombination(input);
            case G12C_NOT_DOCUMENTED -> g12cNotDocumented(input);
            case BRAF_V600E_APPROVED_COMBINATION -> brafCombination(input);
            case RAS_WILD_TYPE -> wildType(input);
        };
    }

    // ------------------------------------------------------------------ the cards

    private Card mutant(CardInput input, boolean g12cWithoutPartner) {
        String drug = name(input.drug());
        String variants = mutationNames(input.assessment());
        String summary = fit(drug + (g12cWithoutPartner ? " alone" : "") + " not recommended: ", variants, " (RAS-mutant)");
        StringBuilder detail = new StringBuilder();
        detail.append("**RAS-mutant colorectal cancer: ").append(drug.toLowerCase(Locale.ROOT)).append(" is not indicated")
                .append(g12cWithoutPartner ? " on its own" : "").append(".**\n\n");
        detail.append("**Evidence**\n\n").append(evidence(input.assessment(), item -> item.call() == EvidenceCall.MUTATED)).append('\n');
        detail.append("**Why**: anti-EGFR antibodies (cetuximab, panitumumab) do not work in RAS-mutant metastatic colorectal "
                + "cancer; the FDA labels and the EU SmPCs exclude it, and ASCO and NCCN advise against any anti-EGFR antibody "
                + "with a KRAS or NRAS mutation in exon 2, 3 or 4.\n\n");
        if (g12cWithoutPartner) {
            String partner = name(input.partner());
            detail.append("**KRAS G12C**: ").append(drug.toLowerCase(Locale.ROOT)).append(" is approved for KRAS G12C-mutated "
                    + "colorectal cancer only together with ").append(partner.toLowerCase(Locale.ROOT))
                    .append(", after fluoropyrimidine-, oxaliplatin- and irinotecan-based chemotherapy. Add ")
                    .append(partner.toLowerCase(Locale.ROOT)).append(" or remove this order.\n\n");
        }
        detail.append(alternatives());
        List<Suggestion> suggestions = new ArrayList<>();
        remove(input, true).ifPresent(suggestions::add);
        if (g12cWithoutPartner) {
            suggestions.add(addPartner(input));
        }
        return card(input, summary, detail.toString(), suggestions);
    }

    private Card unknown(CardInput input) {
        String drug = name(input.drug());
        List<String> reasons = unknownReasons(input);
        String summary = fit(drug + ": RAS status unknown (", String.join("; ", reasons), ")");
        StringBuilder detail = new StringBuilder();
        detail.append("**RAS (KRAS and NRAS) status is unknown: ").append(String.join("; ", reasons)).append(".**\n\n");
        String found = evidence(input.assessment(), item -> true);
        detail.append("**Results found**\n\n").append(found.isEmpty() ? "- No KRAS or NRAS result was found.\n" : found).append('\n');
        detail.append("**Extended RAS testing**: before cetuximab or panitumumab, test KRAS and NRAS exons 2, 3 and 4 "
                + "(codons 12, 13, 59, 61, 117 and 146), as ASCO and NCCN recommend. A KRAS exon 2 result alone is not "
                + "a RAS wild-type result.\n\n");
        detail.append("**Labels**: the FDA label of Vectibix and the EU SmPCs of Erbitux and Vectibix exclude patients whose "
                + "RAS status is unknown; the antibodies are indicated for RAS wild-type metastatic colorectal cancer, as "
                + "determined by an FDA-approved test.\n");
        List<Suggestion> suggestions = new ArrayList<>();
        suggestions.add(orderRasTesting(input));
        remove(input, false).ifPresent(suggestions::add);
        return card(input, summary, detail.toString(), suggestions);
    }

    private Card approvedCombination(CardInput input) {
        String drug = name(input.drug());
        String partner = name(input.partner());
        String summary = fit(drug + " with " + partner.toLowerCase(Locale.ROOT) + ": approved combination for ", "KRAS G12C", "");
        String detail = "**" + drug + " with " + partner.toLowerCase(Locale.ROOT) + " is an approved combination for KRAS "
                + "G12C-mutated metastatic colorectal cancer.**\n\n"
                + "**Evidence**\n\n" + evidence(input.assessment(), item -> item.call() == EvidenceCall.MUTATED) + '\n'
                + "Confirm that KRAS G12C was found by an FDA-approved test and that the patient has had fluoropyrimidine-, "
                + "oxaliplatin- and irinotecan-based chemotherapy. " + drug + " without " + partner.toLowerCase(Locale.ROOT)
                + " is not indicated in RAS-mutant colorectal cancer.\n";
        List<Suggestion> suggestions = new ArrayList<>();
        remove(input, false).ifPresent(suggestions::add);
        return card(input, summary, detail, suggestions);
    }

    private Card g12cNotDocumented(CardInput input) {
        String drug = name(input.drug());
        String partner = name(input.partner()).toLowerCase(Locale.ROOT);
        String summary = fit(drug + " with " + partner + ": ", "KRAS G12C not documented", "");
        StringBuilder detail = new StringBuilder();
        detail.append("**").append(drug).append(" with ").append(partner).append(" is approved only for KRAS G12C-mutated "
                + "colorectal cancer, as determined by an FDA-approved test; no final result shows KRAS G12C.**\n\n");
        detail.append("**RAS status**: ").append(input.assessment().status() == org.rasguard.ras.RasStatus.UNKNOWN
                ? "unknown (" + String.join("; ", unknownReasons(input)) + ")" : "wild-type").append(".\n\n");
        String found = evidence(input.assessment(), item -> true);
        detail.append("**Results found**\n\n").append(found.isEmpty() ? "- No KRAS or NRAS result was found.\n" : found).append('\n');
        detail.append("Confirm KRAS G12C before the combination: extended RAS testing (KRAS and NRAS exons 2, 3 and 4) "
                + "reports it. Without KRAS G12C, ").append(partner).append(" has no indication here, and ")
                .append(drug.toLowerCase(Locale.ROOT)).append(" needs a RAS wild-type result.\n");
        List<Suggestion> suggestions = new ArrayList<>();
        suggestions.add(orderRasTesting(input));
        remove(input, false).ifPresent(suggestions::add);
        return card(input, summary, detail.toString(), suggestions);
    }

    private Card brafCombination(CardInput input) {
        String drug = name(input.drug());
        String partner = name(BrafInhibitor.ENCORAFENIB).toLowerCase(Locale.ROOT);
        String summary = fit(drug + " with " + partner + ": approved combination for ", "BRAF V600E", "");
        StringBuilder detail = new StringBuilder();
        detail.append("**").append(drug).append(" with ").append(partner).append(" is an approved combination for BRAF "
                + "V600E-mutated metastatic colorectal cancer.**\n\n");
        detail.append("**BRAF V600E**: ").append(String.join(", ", input.assessment().brafV600eEvidence().stream()
                .map(CardFactory::source).toList())).append(".\n\n");
        detail.append("**RAS status**: ").append(input.assessment().status() == org.rasguard.ras.RasStatus.UNKNOWN
                ? "unknown (" + String.join("; ", unknownReasons(input)) + ")" : "not confirmed (" + String.join("; ", unknownReasons(input)) + ")")
                .append(". BRAF V600E tumours are usually RAS wild type, so the combination is not flagged; a KRAS or NRAS "
                        + "mutation, once found, would still exclude ").append(drug.toLowerCase(Locale.ROOT)).append(".\n");
        List<Suggestion> suggestions = new ArrayList<>();
        suggestions.add(orderRasTesting(input));
        remove(input, false).ifPresent(suggestions::add);
        return card(input, summary, detail.toString(), suggestions);
    }

    private Card wildType(CardInput input) {
        String drug = name(input.drug());
        String date = newestDate(input.assessment(), EvidenceCall.NEGATIVE);
        String summary = fit(drug + ": RAS wild-type (KRAS and NRAS, extended)", date == null ? "" : ", tested " + date, "");
        String detail = "**RAS wild-type**: KRAS and NRAS were each tested over exons 2, 3 and 4 with no mutation found.\n\n"
                + "**Results**\n\n" + evidence(input.assessment(), item -> item.call() == EvidenceCall.NEGATIVE);
        List<Suggestion> suggestions = new ArrayList<>();
        remove(input, false).ifPresent(suggestions::add);
        return card(input, summary, detail, suggestions);
    }

    // ------------------------------------------------------------------ parts

    private Card card(CardInput input, String summary, String detail, List<Suggestion> suggestions) {
        CardKind kind = input.kind();
        Source source = new Source(SOURCE_LABEL, GUIDELINE_URL, null,
                new Coding(CardKind.TOPIC_SYSTEM, kind.topicCode(), kind.topicDisplay()));
        return new Card(uuids.get().toString(), MarkdownText.withoutInvisible(summary), MarkdownText.withoutInvisible(detail),
                kind.indicator(), source,
                suggestions.isEmpty() ? null : List.copyOf(suggestions), suggestions.isEmpty() ? null : "any",
                overrideReasons, null);
    }

    private java.util.Optional<Suggestion> remove(CardInput input, boolean recommended) {
        if (input.orderReference() == null) {
            return java.util.Optional.empty();
        }
        String drug = name(input.drug()).toLowerCase(Locale.ROOT);
        return java.util.Optional.of(new Suggestion("Remove the " + drug + " order", uuids.get().toString(),
                recommended ? Boolean.TRUE : null,
                List.of(new Action("delete", "Remove the draft " + drug + " order.", null, input.orderReference()))));
    }

    /**
     * A ServiceRequest the EHR can add to the order set as it is: status draft; intent, priority, code and
     * {@code instantiatesCanonical} from the knowledge package's ActivityDefinition; the patient as subject;
     * the card's topic (our CodeSystem) as the coded reason.
     */
    private Suggestion orderRasTesting(CardInput input) {
        ServiceRequest request = new ServiceRequest();
        request.setStatus(ServiceRequest.ServiceRequestStatus.DRAFT);
        request.setIntent(ServiceRequest.ServiceRequestIntent.fromCode(extendedRasTest.getIntent().toCode()));
        if (extendedRasTest.hasPriority()) {
            request.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(extendedRasTest.getPriority().toCode()));
        }
        request.addInstantiatesCanonical(extendedRasTest.getUrl());
        request.setCode(withoutExtensions(extendedRasTest.getCode()));
        request.setSubject(new Reference("Patient/" + input.patientId()));
        request.addReasonCode(new CodeableConcept().addCoding(topic(input.kind())));
        return new Suggestion("Order extended RAS testing (KRAS and NRAS exons 2, 3 and 4)", uuids.get().toString(), Boolean.TRUE,
                List.of(new Action("create", "Order extended RAS mutation analysis of the tumour.", encode(request), null)));
    }

    /**
     * A MedicationRequest for the approved G12C partner: status draft, intent order, the patient as subject,
     * and every code of the partner's ValueSet with its display (ATC only today: the package ships no
     * RxNorm code that a source confirmed), the ValueSet's title as text.
     */
    private Suggestion addPartner(CardInput input) {
        G12cInhibitor partner = input.partner();
        CodeableConcept medication = new CodeableConcept();
        for (Code code : knowledge.codes(partner.valueSetUrl())) {
            medication.addCoding(new org.hl7.fhir.r4.model.Coding(code.system(), code.code(), code.display()));
        }
        medication.setText(knowledge.valueSet(partner.valueSetUrl()).map(valueSet -> valueSet.getTitle()).orElseThrow());
        MedicationRequest request = new MedicationRequest();
        request.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.setMedication(medication);
        request.setSubject(new Reference("Patient/" + input.patientId()));
        request.addReasonCode(new CodeableConcept().addCoding(topic(input.kind())));
        String name = name(partner).toLowerCase(Locale.ROOT);
        return new Suggestion("Add " + name + " (approved with " + name(input.drug()).toLowerCase(Locale.ROOT) + " for KRAS G12C)",
                uuids.get().toString(), null,
                List.of(new Action("create", "Order " + name + " with the antibody.", encode(request), null)));
    }

    /** The card's topic as a coded reason, its display read from the {@code cds-card-topic} CodeSystem. */
    private org.hl7.fhir.r4.model.Coding topic(CardKind kind) {
        String display = knowledge.codeSystem(CardKind.TOPIC_SYSTEM).orElseThrow().getConcept().stream()
                .filter(concept -> concept.getCode().equals(kind.topicCode()))
                .map(concept -> concept.getDisplay()).findFirst()
                .orElseThrow(() -> new IllegalStateException("No topic " + kind.topicCode() + " in " + CardKind.TOPIC_SYSTEM));
        return new org.hl7.fhir.r4.model.Coding(CardKind.TOPIC_SYSTEM, kind.topicCode(), display);
    }

    /** The package's codings carry our code-source extension; the order needs only system, code and display. */
    private static CodeableConcept withoutExtensions(CodeableConcept concept) {
        CodeableConcept copy = concept.copy();
        copy.getCoding().forEach(coding -> coding.getExtension().clear());
        return copy;
    }

    private static String alternatives() {
        return "**Alternatives**: FOLFOX, CAPOX or FOLFIRI, with or without bevacizumab. Give bevacizumab instead of the "
                + "anti-EGFR antibody, never added to it (PACCE, CAIRO2: worse outcomes with both).\n";
    }

    private JsonNode encode(Resource resource) {
        try {
            return json.readTree(fhir.newJsonParser().encodeResourceToString(resource));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("HAPI wrote JSON that Jackson cannot read", e);
        }
    }

    // ------------------------------------------------------------------ wording of the evidence

    /** "KRAS p.G12D, NRAS p.Q61K", protein names first; genes without a named variant as "KRAS mutation". */
    static String mutationNames(RasAssessment assessment) {
        Set<String> names = new LinkedHashSet<>();
        for (Gene gene : Gene.values()) {
            List<VariantFinding> mutated = assessment.variants().stream()
                    .filter(v -> v.gene() == gene && v.call() == EvidenceCall.MUTATED).toList();
            List<VariantFinding> shown = mutated.stream().filter(VariantNames::isProtein).toList();
            // A change reported both as c. and p. on one result is shown once, by its protein name.
            Set<String> withProtein = shown.stream().map(VariantFinding::evidence).collect(Collectors.toSet());
            List<VariantFinding> codingOnly = mutated.stream()
                    .filter(v -> !VariantNames.isProtein(v) && !withProtein.contains(v.evidence())).toList();
            shown.forEach(v -> names.add(gene.symbol() + " " + VariantNames.shortName(v)));
            codingOnly.forEach(v -> names.add(gene.symbol() + " " + VariantNames.shortName(v)));
            GeneVerdict verdict = assessment.genes().get(gene);
            if (mutated.isEmpty() && verdict != null && verdict.status() == GeneVerdict.Status.MUTATED) {
                names.add(gene.symbol() + " mutation");
            }
        }
        return names.isEmpty() ? "RAS mutation" : String.join(", ", names);
    }

    private List<String> unknownReasons(CardInput input) {
        List<String> reasons = new ArrayList<>();
        input.assessment().reasons().forEach(reason -> reasons.add(reasonText(reason)));
        reasons.addAll(input.cautions());
        if (reasons.isEmpty()) {
            reasons.add("no complete KRAS and NRAS result");
        }
        return reasons;
    }

    static String reasonText(UnknownReason reason) {
        return switch (reason) {
            case NOT_TESTED -> "not tested";
            case KRAS_ONLY -> "only KRAS tested";
            case NRAS_ONLY -> "only NRAS tested";
            case PARTIAL_COVERAGE -> "partial coverage";
            case INDETERMINATE -> "indeterminate result";
            case VUS -> "variant of uncertain significance";
            case PRELIMINARY_ONLY -> "preliminary result only";
            case CTDNA_ONLY -> "ctDNA-only negative";
            case CONFLICT -> "conflicting results";
            case TRUNCATED -> "not all results could be read";
            case EVIDENCE_INCOMPLETE -> "part of the evidence could not be used";
        };
    }

    /**
     * One markdown bullet per result: gene, what it said, date, specimen, report or result. The same
     * result read twice (from the EHR and from our store) is shown once, with the most it says.
     */
    private static String evidence(RasAssessment assessment, java.util.function.Predicate<EvidenceItem> which) {
        Map<String, EvidenceItem> distinct = new LinkedHashMap<>();
        assessment.evidence().stream().filter(which)
                .sorted(Comparator.comparing((EvidenceItem item) -> item.gene())
                        .thenComparing(item -> Objects.toString(date(item), ""), Comparator.reverseOrder()))
                .forEach(item -> distinct.merge(item.gene() + "|" + item.call() + "|" + item.detail() + "|" + date(item), item,
                        (kept, other) -> richness(other) > richness(kept) ? other : kept));
        StringBuilder out = new StringBuilder();
        int lines = 0;
        for (EvidenceItem item : distinct.values()) {
            if (++lines > MAX_EVIDENCE_LINES) {
                out.append("- … and ").append(distinct.size() - MAX_EVIDENCE_LINES).append(" more\n");
                break;
            }
            out.append("- ").append(item.gene().symbol()).append(": ").append(callText(item.call()))
                    .append(item.preliminary() ? " (preliminary)" : "").append(" — ").append(MarkdownText.escape(item.detail()))
                    .append("; ").append(date(item) == null ? "date not stated" : MarkdownText.escape(date(item)))
                    .append(item.specimen() == null ? "" : "; specimen: " + MarkdownText.escape(item.specimen()))
                    .append("; ").append(item.report() != null ? "report " + source(item.report()) : "result " + source(item.reference()))
                    .append('\n');
        }
        return out.toString();
    }

    private static int richness(EvidenceItem item) {
        return (item.report() != null ? 2 : 0) + (item.specimen() != null ? 1 : 0);
    }

    private static String date(EvidenceItem item) {
        String date = item.effective() != null ? item.effective() : item.issued();
        return date == null ? null : date.length() > 10 && date.charAt(10) == 'T' ? date.substring(0, 10) : date;
    }

    private static String newestDate(RasAssessment assessment, EvidenceCall call) {
        return assessment.evidence().stream().filter(item -> item.call() == call && !item.preliminary())
                .map(CardFactory::date).filter(Objects::nonNull).max(String::compareTo).orElse(null);
    }

    /** {@code Observation/rasguard-store-12} → "Observation/12 (RAS Guard genomics store)"; else "(EHR)". */
    private static String source(String reference) {
        int slash = reference.indexOf('/');
        if (slash > 0 && reference.startsWith(STORE_ID_PREFIX, slash + 1)) {
            return MarkdownText.escape(reference.substring(0, slash + 1) + reference.substring(slash + 1 + STORE_ID_PREFIX.length()))
                    + " (RAS Guard genomics store)";
        }
        return MarkdownText.escape(reference) + " (EHR)";
    }

    private static String callText(EvidenceCall call) {
        return switch (call) {
            case MUTATED -> "mutated";
            case NEGATIVE -> "no mutation (extended coverage)";
            case PARTIAL_NEGATIVE -> "no mutation, partial coverage";
            case INDETERMINATE -> "indeterminate";
            case VUS -> "variant of uncertain significance";
            case CONFLICT -> "conflicting";
            case CTDNA_NEGATIVE -> "no mutation in ctDNA (cannot rule one out)";
            case NO_EFFECT -> "benign or silent change";
        };
    }

    static String name(AntiEgfrDrug drug) {
        return capitalize(drug.name());
    }

    static String name(G12cInhibitor drug) {
        return capitalize(drug.name());
    }

    static String name(BrafInhibitor drug) {
        return capitalize(drug.name());
    }

    private static String capitalize(String enumName) {
        String lower = enumName.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** prefix + middle + suffix, the middle shortened with "…" so the summary stays under 140 characters. */
    static String fit(String prefix, String middle, String suffix) {
        int room = MAX_SUMMARY - prefix.length() - suffix.length();
        String shown = middle.length() <= room ? middle : middle.substring(0, Math.max(0, room - 1)).stripTrailing() + "…";
        return prefix + shown + suffix;
    }

}
