package org.oddity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric-name reader the rule and dashboard checks rely on: names found, everything else left out. */
class PromQlTest {

    @Test
    void findsSelectedMetricsAndSkipsFunctionsLabelsAndDurations() {
        assertEquals(Set.of("flagged_total", "scored:increase10m"), PromQl.metricNames(
                "sum by (cell, working_point) (rate(flagged_total{cell=~\"a|b\", job='x'}[5m]))"
                        + " / on (cell) group_left () (scored:increase10m > 0)"));
    }

    @Test
    void skipsNumbersKeywordsStringsAndGrafanaVariables() {
        assertEquals(Set.of("a_bucket", "up", "b"), PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le) (rate(a_bucket{application=\"$application\"}[$__rate_interval])))"
                        + " or up == 0 and bool b > 1e-7 unless label_replace(b, \"x\", \"$1\", \"y\", \"(.*)\")"));
    }

    @Test
    void readsAMetricWhoseNameLooksLikeAKeywordPrefix() {
        assertEquals(Set.of("order_total", "online"), PromQl.metricNames("order_total + online"));
    }
}
