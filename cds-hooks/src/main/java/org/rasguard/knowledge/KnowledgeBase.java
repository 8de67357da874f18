package org.rasguard.knowledge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * The clinical knowledge of RAS Guard, read from the FHIR NPM package that the {@code ig-resources}
 * module builds ({@code rasguard/rasguard.ig.tgz} on the classpath).
 *
 * <p>This is the one source of truth for code lists: the drug matcher and the RAS engine ask it for
 * the codes of a ValueSet instead of keeping a second copy in Java. A test can build a
 * KnowledgeBase from a modified copy of a ValueSet ({@link #of}) and see the logic follow.
 *
 * @see <a href="https://confluence.hl7.org/display/FHIR/NPM+Package+Specification">FHIR NPM packages</a>
 */
public final class KnowledgeBase {

    /** Canonical base of every artifact we publish. */
    public static final String CANONICAL_BASE = "http://rasguard.org/fhir";

    /** Where the ig-resources jar puts our package. */
    public static final String PACKAGE_RESOURCE = "rasguard/rasguard.ig.tgz";

    private final Map<String, MetadataResource> byUrl;
    private final List<IBaseResource> examples;

    private KnowledgeBase(Map<String, MetadataResource> byUrl, List<IBaseResource> examples) {
        this.byUrl = Collections.unmodifiableMap(byUrl);
        this.examples = List.copyOf(examples);
    }

    /** Loads the package shipped on the classpath; fails fast if it is missing or unreadable. */
    public static KnowledgeBase loadFromClasspath(FhirContext fhirContext) {
        try (InputStream in = KnowledgeBase.class.getClassLoader().getResourceAsStream(PACKAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Knowledge package " + PACKAGE_RESOURCE + " is not on the classpath: build ig-resources first");
            }
            return fromPackage(fhirContext, in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read knowledge package " + PACKAGE_RESOURCE, e);
        }
    }

    /** Reads a FHIR NPM package (.tgz): conformance resources from {@code package/}, examples from {@code package/example/}. */
    public static KnowledgeBase fromPackage(FhirContext fhirContext, InputStream tgz) throws IOException {
        NpmPackage npm = NpmPackage.fromPackage(tgz);
        IParser parser = fhirContext.newJsonParser();
        List<IBaseResource> conformance = new ArrayList<>();
        for (String file : npm.list("package")) {
            if (file.endsWith(".json") && !file.equals("package.json") && !file.startsWith(".")) {
                try (InputStream in = npm.load("package", file)) {
                    conformance.add(parser.parseResource(in));
                }
            }
        }
        List<IBaseResource> examples = new ArrayList<>();
        if (npm.getFolders().containsKey("example")) {
            for (String file : npm.list("example")) {
                if (file.endsWith(".json") && !file.startsWith(".")) {
                    try (InputStream in = npm.load("example", file)) {
                        examples.add(parser.parseResource(in));
                    }
                }
            }
        }
        return of(conformance, examples);
    }

    /** Builds a knowledge base from resources already in memory (tests, or a modified copy of a ValueSet). */
    public static KnowledgeBase of(List<? extends IBaseResource> conformance, List<? extends IBaseResource> examples) {
        Map<String, MetadataResource> byUrl = new LinkedHashMap<>();
        for (IBaseResource resource : conformance) {
            if (resource instanceof MetadataResource metadata && metadata.hasUrl()) {
                MetadataResource previous = byUrl.put(metadata.getUrl(), metadata);
                if (previous != null) {
                    throw new IllegalStateException(
                            "Two knowledge artifacts share the canonical URL " + metadata.getUrl());
                }
            }
        }
        return new KnowledgeBase(byUrl, new ArrayList<>(examples));
    }

    /** Every conformance resource (ValueSet, CodeSystem, StructureDefinition, PlanDefinition …). */
    public List<MetadataResource> artifacts() {
        return List.copyOf(byUrl.values());
    }

    /** The example instances (Bundles of example patients and the like). */
    public List<IBaseResource> examples() {
        return examples;
    }

    public Optional<ValueSet> valueSet(String url) {
        return Optional.ofNullable(byUrl.get(url))
                .filter(ValueSet.class::isInstance)
                .map(ValueSet.class::cast);
    }

    public Optional<CodeSystem> codeSystem(String url) {
        return Optional.ofNullable(byUrl.get(url))
                .filter(CodeSystem.class::isInstance)
                .map(CodeSystem.class::cast);
    }

    /**
     * The codes a ValueSet enumerates: {@code compose.include.concept} entries, every concept of an
     * included CodeSystem that we publish ourselves, and the codes of included ValueSets. Filters
     * are not supported: our ValueSets enumerate their codes so that they work without a
     * terminology server.
     *
     * @throws IllegalArgumentException when the ValueSet is unknown or uses a filter
     */
    public Set<Code> codes(String valueSetUrl) {
        Set<Code> out = new LinkedHashSet<>();
        collect(valueSetUrl, out, new LinkedHashSet<>());
        return Collections.unmodifiableSet(out);
    }

    private void collect(String valueSetUrl, Set<Code> out, Set<String> visiting) {
        if (!visiting.add(valueSetUrl)) {
            throw new IllegalStateException("ValueSet " + valueSetUrl + " includes itself");
        }
        ValueSet valueSet = valueSet(valueSetUrl)
                .orElseThrow(() -> new IllegalArgumentException("Unknown ValueSet " + valueSetUrl));
        for (ValueSet.ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            if (include.hasFilter()) {
                throw new IllegalArgumentException("ValueSet " + valueSetUrl + " uses a filter; enumerate its codes");
            }
            for (var nested : include.getValueSet()) {
                collect(nested.getValue(), out, visiting);
            }
            if (include.hasConcept()) {
                for (ValueSet.ConceptReferenceComponent concept : include.getConcept()) {
                    out.add(new Code(include.getSystem(), concept.getCode(), concept.getDisplay()));
                }
            } else if (include.hasSystem()) {
                CodeSystem codeSystem = codeSystem(include.getSystem())
                        .orElseThrow(() -> new IllegalArgumentException("ValueSet " + valueSetUrl + " includes all of "
                                + include.getSystem() + ", which is not one of ours; enumerate its codes"));
                addAll(codeSystem.getUrl(), codeSystem.getConcept(), out);
            }
        }
        visiting.remove(valueSetUrl);
    }

    private static void addAll(String system, List<CodeSystem.ConceptDefinitionComponent> concepts, Set<Code> out) {
        for (CodeSystem.ConceptDefinitionComponent concept : concepts) {
            out.add(new Code(system, concept.getCode(), concept.getDisplay()));
            addAll(system, concept.getConcept(), out);
        }
    }
}
