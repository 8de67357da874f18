package org.rasguard.server.ui;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletMapping;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ValueSet;
import org.rasguard.knowledge.Code;
import org.rasguard.knowledge.KnowledgeBase;
import org.rasguard.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;

/**
 * The clinician page: a small EHR stand-in at {@code /} that picks a patient, composes draft orders,
 * calls the CDS service exactly as an EHR does and renders its cards (see the README, Clinician page).
 * {@link org.rasguard.server.RasGuardServer} calls {@link #loadDemoData} and {@link #register}.
 */
public final class ClinicianPage {

    private static final Logger LOG = LoggerFactory.getLogger(ClinicianPage.class);

    /**
     * The drug groups the order composer offers, each a ValueSet of the knowledge package: a group of
     * per-drug ValueSets (included with {@code compose.include.valueSet}) or a list of drug codes.
     */
    static final List<String> DRUG_GROUPS = List.of(
            KnowledgeBase.CANONICAL_BASE + "/ValueSet/anti-egfr-antibodies",
            KnowledgeBase.CANONICAL_BASE + "/ValueSet/crc-alternatives",
            KnowledgeBase.CANONICAL_BASE + "/ValueSet/g12c-inhibitor-partners");

    private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private static final String ATC = "http://www.whocc.no/atc";

    private ClinicianPage() {}

    /** {@code RASGUARD_DEMO_DATA=true}: stores the example patients; call before the server says ready. */
    public static void loadDemoData(ApplicationContext context, ServerConfig config) {
        if (config.ui().demoData()) {
            DemoData.load(context.getBean(KnowledgeBase.class), context.getBean(DaoRegistry.class));
        }
    }

    /** Maps the page at {@code /} and {@code /ui/*}, unless it is off (then says why, once). */
    public static void register(ServletContextHandler application, ApplicationContext context, ServerConfig config) {
        if (!config.ui().served()) {
            LOG.info("Clinician page off: {}", config.ui().whyOff());
            return;
        }
        ClinicianPageServlet servlet = new ClinicianPageServlet(drugsJson(context.getBean(KnowledgeBase.class)));
        ServletHolder holder = new ServletHolder("clinician-page", servlet);
        application.getServletHandler().addServlet(holder);
        ServletMapping mapping = new ServletMapping();
        mapping.setServletName(holder.getName());
        mapping.setPathSpecs(new String[] {"", "/ui/*", "/favicon.ico"}); // "": exactly the root
        application.getServletHandler().addServletMapping(mapping);
        // The path only: with RASGUARD_PORT=0 the port is chosen later (the start line says it).
        LOG.info(
                "Clinician page at / (no authentication: served only while the CDS service and the FHIR API are open)");
    }

    /**
     * {@code {"groups":[{"label", "valueSet", "drugs":[{"name", "valueSet", "coding":[…]}]}]}}: one
     * entry per drug, with the RxNorm coding an EHR's order would carry, or the ATC one where the
     * package has no RxNorm code.
     */
    static String drugsJson(KnowledgeBase knowledge) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode groups = root.putArray("groups");
        for (String url : DRUG_GROUPS) {
            ValueSet group =
                    knowledge.valueSet(url).orElseThrow(() -> new IllegalStateException("Unknown ValueSet " + url));
            ObjectNode node = groups.addObject();
            node.put("label", group.hasTitle() ? group.getTitle() : group.getName());
            node.put("valueSet", url);
            ArrayNode drugs = node.putArray("drugs");
            List<String> members = group.getCompose().getInclude().stream()
                    .flatMap(include -> include.getValueSet().stream())
                    .map(CanonicalType::getValue)
                    .toList();
            if (!members.isEmpty()) {
                for (String member : members) {
                    ValueSet drug = knowledge
                            .valueSet(member)
                            .orElseThrow(() -> new IllegalStateException("Unknown ValueSet " + member));
                    addDrug(
                            drugs,
                            drug.hasTitle() ? drug.getTitle() : drug.getName(),
                            member,
                            preferred(knowledge.codes(member)));
                }
            } else {
                for (Code code : knowledge.codes(url)) {
                    addDrug(drugs, capitalize(code.display()), url, code);
                }
            }
        }
        return root.toString();
    }

    private static void addDrug(ArrayNode drugs, String name, String valueSet, Code code) {
        ObjectNode drug = drugs.addObject();
        drug.put("name", name);
        drug.put("valueSet", valueSet);
        ObjectNode coding = drug.putArray("coding").addObject();
        coding.put("system", code.system());
        coding.put("code", code.code());
        if (code.display() != null) {
            coding.put("display", code.display());
        }
    }

    /** RxNorm first (what US EHR orders carry), then ATC, then whatever comes first. */
    private static Code preferred(Set<Code> codes) {
        Comparator<Code> order =
                Comparator.comparingInt(code -> RXNORM.equals(code.system()) ? 0 : ATC.equals(code.system()) ? 1 : 2);
        return codes.stream().min(order).orElseThrow(() -> new IllegalStateException("A drug ValueSet without codes"));
    }

    private static String capitalize(String text) {
        return text == null || text.isEmpty()
                ? text
                : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }
}
