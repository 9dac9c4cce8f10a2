package org.oddity.monitor;

/**
 * Settings of the {@link WindowMonitor}, checked on construction.
 *
 * @param falseDiscoveryRate      q: a test fires when its corrected p-value is at most q; in (0, 1)
 * @param correction              Benjamini-Hochberg (FDR) or Bonferroni (FWER) over each window's tests
 * @param toleratedInputErrorRate dead letters per record that INPUT_ERRORS tolerates; in [0, 1)
 * @param quietWindows            consecutive windows without a firing test that clear an alert; >= 1
 * @param cusumK                  CUSUM reference value, half the shift (in sigma) detected fastest; >= 0
 * @param cusumH                  CUSUM decision interval; > 0
 * @param criticalPValue          corrected p-value at or below which an alert is critical; in (0, 1)
 * @param topFeatures             most shifted features named on each alert; in [0, 1000]
 */
public record MonitorSettings(double falseDiscoveryRate, Correction correction, double toleratedInputErrorRate,
        int quietWindows, double cusumK, double cusumH, double criticalPValue, int topFeatures) {

    public MonitorSettings {
        check(falseDiscoveryRate > 0.0 && falseDiscoveryRate < 1.0, "falseDiscoveryRate", falseDiscoveryRate, "(0, 1)");
        if (correction == null) {
            throw new IllegalArgumentException("correction must be BENJAMINI_HOCHBERG or BONFERRONI");
        }
        check(toleratedInputErrorRate >= 0.0 && toleratedInputErrorRate < 1.0, "toleratedInputErrorRate",
                toleratedInputErrorRate, "[0, 1)");
        check(quietWindows >= 1, "quietWindows", quietWindows, "[1, ...]");
        check(cusumK >= 0.0 && Double.isFinite(cusumK), "cusumK", cusumK, "[0, ...)");
        check(cusumH > 0.0 && Double.isFinite(cusumH), "cusumH", cusumH, "(0, ...)");
        check(criticalPValue > 0.0 && criticalPValue < 1.0, "criticalPValue", criticalPValue, "(0, 1)");
        check(topFeatures >= 0 && topFeatures <= 1000, "topFeatures", topFeatures, "[0, 1000]");
    }

    /**
     * q = 1e-3 with Benjamini-Hochberg, 1e-3 tolerated input errors, 3 quiet windows, CUSUM
     * k = 0.5 and h = 12, critical at a corrected p of 1e-6, 5 features named.
     */
    public static MonitorSettings defaults() {
        return new MonitorSettings(1e-3, Correction.BENJAMINI_HOCHBERG, 1e-3, 3, 0.5, 12.0, 1e-6, 5);
    }

    private static void check(boolean ok, String name, double value, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException("monitor setting " + name + " must be in " + allowed + ": " + value);
        }
    }
}
