package org.oddity.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.oddity.score.hbos.HbosFamily;
import org.oddity.score.neural.AutoencoderFamily;
import org.oddity.score.neural.VaeLatentFamily;

/** The registry maps a manifest's scorer name to its codec, and knows nothing it was not told. */
class ScorerRegistryTest {

    @Test
    void knowsEveryFamilyAndNothingElse() {
        assertTrue(ScorerRegistry.family("hbos").isPresent());
        assertTrue(ScorerRegistry.family("hbos").get() instanceof HbosFamily);
        assertEquals("hbos", ScorerRegistry.family("hbos").get().family());
        assertTrue(ScorerRegistry.family("HBOS").isEmpty());
        assertTrue(ScorerRegistry.family("iforest-unknown").isEmpty());
        assertTrue(ScorerRegistry.families().contains("hbos"));
        assertTrue(ScorerRegistry.families().contains("onnx"));
        assertTrue(ScorerRegistry.family("autoencoder").orElseThrow() instanceof AutoencoderFamily);
        assertTrue(ScorerRegistry.family("vae-latent").orElseThrow() instanceof VaeLatentFamily);
        assertEquals(List.of("autoencoder", "gmm", "hbos", "iforest", "kde", "mahalanobis", "onnx", "vae-latent"),
                List.copyOf(ScorerRegistry.families()));
        // Every listed family resolves to a codec of that family, in sorted order.
        List<String> families = List.copyOf(ScorerRegistry.families());
        assertEquals(families.stream().sorted().toList(), families);
        for (String family : families) {
            assertEquals(family, ScorerRegistry.family(family).orElseThrow().family());
        }
    }
}
