package org.rasguard.cdshooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.rasguard.cards.CardRules;

/**
 * The discovery document ({@code GET /cds-services}), written once from {@link CdsServices} and
 * checked against the CDS Hooks rules: a broken one stops start-up.
 *
 * @see <a href="https://cds-hooks.hl7.org/2.0/#discovery">CDS Hooks 2.0: Discovery</a>
 */
final class Discovery {

    private Discovery() {}

    /** {@code {"services": [...]}}. */
    static String document(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        ArrayNode services = root.putArray("services");
        for (ServiceDefinition definition : CdsServices.all()) {
            ObjectNode service = services.addObject();
            service.put("hook", definition.hook().id());
            service.put("title", definition.title());
            service.put("description", definition.description());
            service.put("id", definition.id());
            ObjectNode prefetch = service.putObject("prefetch");
            definition.prefetch().forEach(prefetch::put);
            service.put("usageRequirements", definition.usageRequirements());
        }
        List<String> problems = CardRules.checkDiscovery(root);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Discovery breaks the CDS Hooks rules: " + problems);
        }
        return root.toString();
    }
}
