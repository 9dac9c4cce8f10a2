package org.oddity.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oddity.avro.AlertState;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FeatureContribution;
import org.oddity.avro.FlaggedEvent;
import org.oddity.testing.KnownOutputs;

/** The exact JSON line of a record: the place and key first, then the value's Avro fields as plain JSON. */
class JsonLineTest {

    @Test
    void aFlaggedEventIsOneLineWithItsUnionAsAPlainValue() {
        FlaggedEvent flagged = KnownOutputs.flagged(1002, 2e-4, "A_4l");
        flagged.setTopFeatures(List.of(new FeatureContribution("met_pt", 3.5),
                new FeatureContribution("mu0_pt", 1.25)));
        assertEquals("{\"topic\":\"oddity.anomalies\",\"partition\":1,\"offset\":42,\"timestamp\":1767225600200,"
                + "\"key\":\"7:1002\",\"value\":{\"run\":7,\"lumisection\":10,\"event\":1002,"
                + "\"timestampNanos\":1767225600000001002,\"bunchCrossing\":42,"
                + "\"cell\":\"30<=pileup<40|detectorState=ALL_IN\","
                + "\"requestedCell\":\"30<=pileup<40|detectorState=ALL_IN\","
                + "\"calibrationSize\":20000,\"calibrationSource\":\"bundle\",\"score\":12.5,\"pValue\":2.0E-4,"
                + "\"workingPoint\":\"loose\",\"alpha\":0.01,\"modelName\":\"l1-hbos\",\"modelVersion\":\"hbos-test\","
                + "\"flaggedAtMillis\":1767225600123,\"topFeatures\":[{\"feature\":\"met_pt\",\"contribution\":3.5},"
                + "{\"feature\":\"mu0_pt\",\"contribution\":1.25}],\"truth\":\"A_4l\"}}",
                JsonLine.of("oddity.anomalies", 1, 42, 1_767_225_600_200L, "7:1002".getBytes(StandardCharsets.UTF_8),
                        flagged));
    }

    @Test
    void nonFiniteNumbersAreStringsAndAMissingFeatureIsNull() {
        DriftAlert alert = KnownOutputs.alert("P_UNIFORMITY", AlertState.ONGOING, null);
        alert.setStatisticValue(Double.POSITIVE_INFINITY);
        alert.setRawPValue(Double.NaN);
        String line = JsonLine.of("oddity.alerts", 0, 3, 5, null, alert);
        assertEquals("{\"topic\":\"oddity.alerts\",\"partition\":0,\"offset\":3,\"timestamp\":5,\"key\":null,"
                + "\"value\":{\"kind\":\"P_UNIFORMITY\",\"state\":\"ONGOING\",\"severity\":\"WARNING\","
                + "\"cell\":\"30<=pileup<40|detectorState=ALL_IN\",\"feature\":null,\"statistic\":\"binomial\","
                + "\"statisticValue\":\"Infinity\",\"rawPValue\":\"NaN\",",
                line.substring(0, line.indexOf("\"correctedPValue\"")));
    }

    @Test
    void bytesAndKeysThatAreNotTextAreBase64() {
        byte[] key = {(byte) 0xC3, (byte) 0x28};
        String line = JsonLine.of("oddity.dlq", 0, 0, 0, key,
                KnownOutputs.deadLetter(FailureStage.DECODE, "daq.events", 9, key, new byte[] {0, (byte) 0xFF, 16}));
        assertEquals("{\"topic\":\"oddity.dlq\",\"partition\":0,\"offset\":0,\"timestamp\":0,\"keyBase64\":\"wyg=\","
                + "\"value\":{\"stage\":\"DECODE\",\"reason\":\"DECODE failed\",\"topic\":\"daq.events\","
                + "\"partition\":0,\"offset\":9,\"originalKey\":\"wyg=\",\"originalValue\":\"AP8Q\","
                + "\"failedAtMillis\":1767225600500}}",
                line);
    }
}
