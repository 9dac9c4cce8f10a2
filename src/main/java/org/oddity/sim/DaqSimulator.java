package org.oddity.sim;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.RunConditions;
import org.oddity.avro.TriggerObjects;

/**
 * Deterministic event stream: event i of n sits at run time (i + 0.5) / n * duration (the fills back to back), so
 * any n covers the whole run with the same pileup distribution. Signal events and detector faults from the plan are
 * labelled in {@code truth}: a signal's name, then "fault:kind" for each fault that changed the event, joined by "|".
 */
public final class DaqSimulator implements Iterator<CollisionEvent> {

    /** 2^18 LHC orbits of 3564 bunch slots at 40.079 MHz. */
    private static final double LUMISECTION_SECONDS = 23.31;
    private static final int BUNCH_SLOTS = 3564;
    private static final double NANOS_PER_SECOND = 1e9;

    private final SimulationPlan plan;
    private final double duration;
    private final RandomVariates random;
    private final BackgroundPhysics physics;
    private final List<SignalInjection> signals;
    private final List<DetectorFault> faults;
    private final RandomVariates injections;
    private final SignalPhysics signalPhysics;
    private final FaultEffects faultEffects;
    private long index;

    public DaqSimulator(SimulationPlan plan, long seed) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.duration = plan.durationSeconds();
        this.random = new RandomVariates(seed);
        this.physics = new BackgroundPhysics(random);
        this.signals = plan.signals();
        this.faults = plan.faults();
        // Signals and faults draw from streams split off their own generator, never from the background's: a
        // scenario's events outside its signal and fault windows are the same as the clean run's with that seed,
        // and which events carry a signal does not depend on the signal's kinematics.
        SplittableRandom streams = new SplittableRandom(seed);
        this.injections = new RandomVariates(streams.split());
        this.signalPhysics = new SignalPhysics(new RandomVariates(streams.split()));
        this.faultEffects = new FaultEffects(new RandomVariates(streams.split()));
    }

    @Override
    public boolean hasNext() {
        return index < plan.events();
    }

    @Override
    public CollisionEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + plan.events() + " events of the plan were produced");
        }
        // Midpoints of n equal slices: a 10x calibration sample and the live stream, whatever their seeds, then
        // share the pileup and detector-state distribution, so their events are exchangeable within any cell.
        double t = (index + 0.5) / plan.events() * duration;
        double pileup = plan.pileupAt(t);
        String state = plan.detector().stateAt(t);

        RunConditions conditions = new RunConditions();
        conditions.setPileup((float) pileup);
        conditions.setInstLumi((float) plan.lumiAt(t));
        conditions.setDetectorState(state);
        conditions.setExtra(new HashMap<>());

        CollisionEvent event = new CollisionEvent();
        event.setRun(plan.run());
        event.setLumisection(1 + (int) Math.floor(t / LUMISECTION_SECONDS));
        event.setEvent(index + 1);
        event.setTimestampNanos(plan.startNanos() + Math.round(t * NANOS_PER_SECOND));
        event.setBunchCrossing(random.uniformInt(1, BUNCH_SLOTS));
        event.setConditions(conditions);
        // ECAL_ENDCAP_OUT is the one degraded state with modelled physics; other names only label the events.
        boolean endcapOut = DetectorSchedule.ECAL_ENDCAP_OUT.equals(state);
        physics.generate(pileup, endcapOut);
        SignalInjection signal = signalAt(t);
        TriggerObjects objects = signal == null ? physics.backgroundObjects()
                : signalPhysics.event(signal, physics, pileup, endcapOut);
        String truth = signal == null ? null : signal.kind().label();
        if (!faults.isEmpty()) {
            truth = faultEffects.apply(faults, objects, t, truth);
        }
        event.setObjects(objects);
        event.setTruth(truth);
        index++;
        return event;
    }

    /**
     * Every signal whose window holds {@code t} draws once, so the draws do not depend on earlier outcomes; an
     * event carries at most one signal, the first in the plan's order that fired.
     */
    private SignalInjection signalAt(double t) {
        SignalInjection chosen = null;
        for (SignalInjection signal : signals) {
            if (signal.activeAt(t) && injections.bernoulli(signal.probability()) && chosen == null) {
                chosen = signal;
            }
        }
        return chosen;
    }
}
