package org.rasguard.ras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;

class ProbeAtkTest {
    @Test
    void probe() throws Exception {
        Path file = Path.of("/work/scratch/atkfx/all.json");
        if (!Files.exists(file)) return;
        JsonNode all = new ObjectMapper().readTree(file.toFile());
        StringBuilder out = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("_")) continue;
            List<IBaseResource> resources = new ArrayList<>();
            for (JsonNode r : e.getValue())
                resources.add(RasCase.FHIR.newJsonParser().parseResource(r.toString()));
            RasAssessment a = new RasStatusEngine(RasCase.VOCABULARY, RasPolicy.defaults()).assess(resources);
            out.append(String.format(
                    "%-36s %-10s %s%n",
                    e.getKey(),
                    a.status().code(),
                    a.reasons().stream().map(UnknownReason::code).toList()));
        }
        Files.writeString(Path.of("/work/scratch/atkfx/probe.txt"), out.toString());
    }
}
