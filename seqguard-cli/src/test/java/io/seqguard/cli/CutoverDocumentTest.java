package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cutover's document when it did not get to the repair: what a saved record holds. The outcomes with reports are
 * in {@link CutoverCliTest}, on two real servers.
 */
class CutoverDocumentTest {

    @Test
    void aCatchUpThatTimedOutKeepsItsStepsAndSaysWhy() throws Exception {
        String subscription = "from \"old\"\nü";
        CutoverDocument document = new CutoverDocument(subscription,
                List.of("step 1/6: old primary: database shop", "step 2/6: wrote a marker \"x\"\tat 0/1A"), "failed",
                ExitCode.FAILURE, "the subscription did not catch up within 10m", null, null, null, null);
        StringBuilder out = new StringBuilder();
        document.writeJson(out);

        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("cutoverFormatVersion").asInt()).isEqualTo(CutoverDocument.FORMAT_VERSION);
        assertThat(json.get("subscription").asText()).isEqualTo(subscription);
        assertThat(json.get("aligned").asBoolean()).isFalse();
        assertThat(json.get("outcome").asText()).isEqualTo("failed");
        assertThat(json.get("exitCode").asInt()).isEqualTo(ExitCode.FAILURE);
        assertThat(json.get("failure").asText()).contains("did not catch up");
        assertThat(json.get("refusal").isNull()).isTrue();
        assertThat(json.get("nextStatement").isNull()).isTrue();
        assertThat(json.get("steps").get(1).asText()).isEqualTo("step 2/6: wrote a marker \"x\"\tat 0/1A");
        assertThat(json.get("repair").isNull()).isTrue();
        assertThat(json.get("verify").isNull()).isTrue();
        assertThat(out.toString()).endsWith("\n}\n");
    }
}
