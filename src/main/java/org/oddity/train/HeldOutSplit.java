package org.oddity.train;

import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.oddity.avro.CollisionEvent;
import org.oddity.eventfile.LookaheadIterator;

/**
 * One side of a seeded random split of an event sequence into training and held-out
 * calibration events, keeping only reference events (e.g. those labelled background). Two
 * passes with the same seed, fraction and reference test see complementary sides.
 */
public final class HeldOutSplit extends LookaheadIterator<CollisionEvent> {

    private final Iterator<CollisionEvent> source;
    private final SplittableRandom random;
    private final double calibrationFraction;
    private final boolean calibrationSide;
    private final Predicate<CollisionEvent> reference;

    public HeldOutSplit(Iterator<CollisionEvent> source, long seed, double calibrationFraction, boolean calibrationSide,
            Predicate<CollisionEvent> reference) {
        this.source = source;
        this.random = new SplittableRandom(seed);
        this.calibrationFraction = calibrationFraction;
        this.calibrationSide = calibrationSide;
        this.reference = reference;
    }

    @Override
    protected CollisionEvent fetch() {
        while (source.hasNext()) {
            CollisionEvent candidate = source.next();
            // Every event takes a draw, so an event's side does not depend on which others are references.
            boolean heldOut = random.nextDouble() < calibrationFraction;
            if (heldOut == calibrationSide && reference.test(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
