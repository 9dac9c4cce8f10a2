package org.oddity.cli;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.oddity.avro.CollisionEvent;

/**
 * One side of a seeded random split of an event sequence into training and held-out
 * calibration events. Two passes with the same seed and fraction see complementary sides.
 */
final class HeldOutSplit implements Iterator<CollisionEvent> {

    private final Iterator<CollisionEvent> source;
    private final SplittableRandom random;
    private final double calibrationFraction;
    private final boolean calibrationSide;
    private CollisionEvent next;

    HeldOutSplit(Iterator<CollisionEvent> source, long seed, double calibrationFraction, boolean calibrationSide) {
        this.source = source;
        this.random = new SplittableRandom(seed);
        this.calibrationFraction = calibrationFraction;
        this.calibrationSide = calibrationSide;
    }

    @Override
    public boolean hasNext() {
        while (next == null && source.hasNext()) {
            CollisionEvent candidate = source.next();
            if ((random.nextDouble() < calibrationFraction) == calibrationSide) {
                next = candidate;
            }
        }
        return next != null;
    }

    @Override
    public CollisionEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CollisionEvent out = next;
        next = null;
        return out;
    }
}
