package org.oddity.cli;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.oddity.avro.CollisionEvent;

/**
 * One side of a seeded random split of an event sequence into training and held-out
 * calibration events, keeping only reference events (e.g. those labelled background). Two
 * passes with the same seed, fraction and reference test see complementary sides.
 */
final class HeldOutSplit implements Iterator<CollisionEvent> {

    private final Iterator<CollisionEvent> source;
    private final SplittableRandom random;
    private final double calibrationFraction;
    private final boolean calibrationSide;
    private final Predicate<CollisionEvent> reference;
    private CollisionEvent next;

    HeldOutSplit(Iterator<CollisionEvent> source, long seed, double calibrationFraction, boolean calibrationSide,
            Predicate<CollisionEvent> reference) {
        this.source = source;
        this.random = new SplittableRandom(seed);
        this.calibrationFraction = calibrationFraction;
        this.calibrationSide = calibrationSide;
        this.reference = reference;
    }

    @Override
    public boolean hasNext() {
        while (next == null && source.hasNext()) {
            CollisionEvent candidate = source.next();
            // Every event takes a draw, so an event's side does not depend on which others are references.
            boolean heldOut = random.nextDouble() < calibrationFraction;
            if (heldOut == calibrationSide && reference.test(candidate)) {
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
