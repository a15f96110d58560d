package dev.ioasid.reports.html;

import static dev.ioasid.reports.html.SequenceDiagram.IOMMU;
import static dev.ioasid.reports.html.SequenceDiagram.KERNEL;

import dev.ioasid.reports.html.ChangeLines.Answer;
import dev.ioasid.reports.html.ChangeLines.QueueLine;
import dev.ioasid.reports.html.ChangeLines.QueuedGroup;
import dev.ioasid.reports.html.ChangeLines.StateLines;
import dev.ioasid.reports.html.ChangeLines.StepDelta;
import dev.ioasid.reports.html.SequenceDiagram.Lane;
import dev.ioasid.reports.html.SequenceDiagram.Message;
import dev.ioasid.reports.html.SequenceDiagram.Story;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Pasid;
import dev.ioasid.contract.Result;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Walks the trace step by step, turning each step's call, result and changes into messages. */
final class StoryBuilder {
    /** The rules that decide a kernel's immediate answer to a page request, most specific first. */
    private static final String[] KERNEL_ANSWER_RULES = {"PRQ-5", "PRQ-6", "PRQ-3", "PRQ-8", "PRQ-1"};
    private static final String[] AUTO_RESPONSE_RULES = {"FLT-5", "FLT-6", "PRQ-8"};

    private final Trace trace;
    private final StateLines state = new StateLines();
    private final List<Message> messages = new ArrayList<>();
    private final Map<Integer, Lane> devices = new TreeMap<>();
    private final Map<String, Lane> queues = new LinkedHashMap<>();
    /** Whether any message is fault traffic; routing notes alone are not worth a diagram. */
    private boolean faultTraffic;
    private int index;
    private TraceStep step;
    private StepDelta delta;

    StoryBuilder(Trace trace) {
        this.trace = trace;
    }

    Story build() {
        for (index = 0; index < trace.steps().size(); index++) {
            step = trace.steps().get(index);
            delta = state.apply(step.changes());
            describeStep();
        }
        if (!faultTraffic) {
            return new Story(List.of(), List.of());
        }
        showFailingStep();
        return new Story(lanes(), messages);
    }

    private void describeStep() {
        Operation op = step.op();
        if (op instanceof Operation.PageRequest request) {
            pageRequest(request);
        } else if (op instanceof Operation.ReadFaults read) {
            readFaults(read);
        } else if (op instanceof Operation.Respond respond) {
            respond(respond);
        } else if (op instanceof Operation.Dma dma) {
            dma(dma);
        } else if (op instanceof Operation.DeliverFault deliver) {
            deliverFault(deliver);
        } else {
            routing(op);
            autoResponses(op);
        }
    }

    private void pageRequest(Operation.PageRequest r) {
        String device = deviceLane(r.device());
        traffic(device, IOMMU, "PRQ group " + r.group() + " pasid " + Pasid.show(r.pasid()) + " iova " + r.iova()
                + " " + r.access() + (r.last() ? " last" : ""), "");
        if (step.rules().contains("PRQ-9")) {
            // Interleaved fault delivery: the group waits for the driver's handler (deliverFault).
            traffic(IOMMU, IOMMU, "queued for the driver (PRQ-9)", "PRQ-9");
        }
        routed();
        if (delta.heldGrew()) {
            traffic(IOMMU, IOMMU, "held until last (PRQ-1)", "PRQ-1");
        }
        if (step.observed() instanceof Result.Failed failed) {
            traffic(device, device, "not issued: " + failed.errno(), rule("PRQ-7", "XLT-7"));
        }
    }

    /** Interleaved fault delivery: the driver's handler takes the device's oldest queued group and routes it. */
    private void deliverFault(Operation.DeliverFault d) {
        if (step.observed() instanceof Result.Failed failed) {
            traffic(IOMMU, IOMMU, "nothing queued for dev " + d.device() + ": " + failed.errno(), "PRQ-9");
            return;
        }
        traffic(IOMMU, IOMMU, "driver takes dev " + d.device() + "'s oldest group (PRQ-9)", "PRQ-9");
        routed();
    }

    /** Where a completed group went: into a user queue, or answered by the kernel. */
    private void routed() {
        for (Map.Entry<QueueLine, QueuedGroup> delivered : delta.newlyDelivered()) {
            QueueLine queue = delivered.getKey();
            QueuedGroup group = delivered.getValue();
            traffic(IOMMU, queueLane(queue.vm(), queue.id()), "group " + group.group() + " at " + group.level(), "PRQ-4");
        }
        for (Answer answer : delta.newAnswers()) {
            String rule = rule(KERNEL_ANSWER_RULES);
            traffic(IOMMU, KERNEL, "group " + answer.group(), rule);
            traffic(KERNEL, deviceLane(answer.device()), answer.code(), rule);
        }
    }

    private void readFaults(Operation.ReadFaults r) {
        String label;
        if (step.observed() instanceof Result.FaultGroups read) {
            int n = read.groups().size();
            label = "read " + n + (n == 1 ? " group" : " groups");
        } else if (step.observed() instanceof Result.Failed failed) {
            label = "read refused " + failed.errno();
        } else {
            label = "read: " + step.shownObserved();
        }
        traffic(queueLane(r.vm(), r.queue()), queueLane(r.vm(), r.queue()), label, rule("FLT-1", "FLT-2", "FLT-3"));
    }

    private void respond(Operation.Respond r) {
        String queue = queueLane(r.vm(), r.queue());
        List<Answer> answers = delta.newAnswers();
        for (Answer answer : answers) {
            traffic(queue, deviceLane(answer.device()), answer.code() + " (cookie " + r.cookie() + ")", "FLT-4");
        }
        if (!answers.isEmpty()) {
            return;
        }
        String label;
        if (step.observed() instanceof Result.Failed failed) {
            label = "respond refused " + failed.errno();
        } else {
            // Accepted by the implementation, yet the model sent nothing: say what it wanted.
            String observed = step.shownObserved();
            label = "respond cookie " + r.cookie() + ": " + observed
                    + (observed.equals(step.expected()) ? "" : ", expected " + step.expected());
        }
        traffic(queue, queue, label, rule("FLT-3", "FLT-2"));
    }

    private void dma(Operation.Dma d) {
        if (step.observed() instanceof Result.Faulted fault) {
            traffic(deviceLane(d.device()), IOMMU, "DMA iova " + d.iova() + ": fault " + fault.level(), rule());
        }
    }

    /** What an attach, replace or detach did to the routing, so the reader sees who got each group. */
    private void routing(Operation op) {
        if (step.observed() == null || !step.observed().isOk()) {
            return;
        }
        if (op instanceof Operation.Attach a) {
            context(IOMMU, "attach dev " + a.device() + " pasid " + Pasid.show(a.pasid()) + " -> table " + a.table());
        } else if (op instanceof Operation.Replace r) {
            context(IOMMU, "replace dev " + r.device() + " pasid " + Pasid.show(r.pasid()) + " -> table " + r.table());
        } else if (op instanceof Operation.Detach d) {
            context(IOMMU, "detach dev " + d.device() + " pasid " + Pasid.show(d.pasid()));
        }
    }

    /** Answers the kernel sent on a detach, replace or destroy (FLT-5, FLT-6), and held requests dropped. */
    private void autoResponses(Operation op) {
        String name = op.getClass().getSimpleName();
        name = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        for (String dropped : delta.droppedHeld()) {
            traffic(IOMMU, IOMMU, "dropped held " + dropped, rule(AUTO_RESPONSE_RULES));
        }
        for (Answer answer : delta.newAnswers()) {
            traffic(answeringQueue(answer), deviceLane(answer.device()), answer.code() + " (" + name + ")",
                    rule(AUTO_RESPONSE_RULES));
        }
    }

    /** The queue that held the answered group before the step, else any queue the step changed, else the kernel. */
    private String answeringQueue(Answer answer) {
        List<QueueLine> changed = delta.changedQueues();
        QueueLine queue = changed.stream().filter(q -> q.holds(answer)).findFirst()
                .orElse(changed.isEmpty() ? null : changed.get(0));
        return queue == null ? KERNEL : queueLane(queue.vm(), queue.id());
    }

    /**
     * The failing step is always visible: a step that made no message of its own (a query, say)
     * gets a note with what was expected and what was observed.
     */
    private void showFailingStep() {
        int failing = trace.failingStep();
        if (messages.stream().anyMatch(m -> m.step() == failing)) {
            return;
        }
        TraceStep at = trace.steps().get(failing);
        String observed = at.shownObserved();
        String label = at.op() + ": " + (at.expected().equals(observed) ? "the invariant breaks here"
                : "expected " + at.expected() + ", observed " + observed);
        boolean iommuUsed = messages.stream().anyMatch(m -> m.from().equals(IOMMU) || m.to().equals(IOMMU));
        String lane = iommuUsed ? IOMMU : lanes().get(0).id();
        int position = 0;
        while (position < messages.size() && messages.get(position).step() < failing) {
            position++;
        }
        // Never the root cause too: a trace's cause comes before its failing step.
        messages.add(position, new Message(failing, lane, lane, label, String.join(", ", at.rules()), true, false));
    }

    /** Lanes some message uses: devices by number, the IOMMU, the kernel, then queues by first use. */
    private List<Lane> lanes() {
        Set<String> used = new LinkedHashSet<>();
        for (Message m : messages) {
            used.add(m.from());
            used.add(m.to());
        }
        List<Lane> all = new ArrayList<>(devices.values());
        all.add(new Lane(IOMMU, "IOMMU", "iommu"));
        all.add(new Lane(KERNEL, "kernel handler", "kernel"));
        all.addAll(queues.values());
        return all.stream().filter(l -> used.contains(l.id())).toList();
    }

    private String deviceLane(int device) {
        return devices.computeIfAbsent(device, d -> new Lane("dev" + d, "dev " + d, "device")).id();
    }

    private String queueLane(int vm, int id) {
        String laneId = "q" + vm + "-" + id;
        return queues.computeIfAbsent(laneId, k -> new Lane(k, "queue " + id + " (vm " + vm + ")", "queue")).id();
    }

    /** The first of {@code preferred} among the step's rules, else the step's first rule, else none. */
    private String rule(String... preferred) {
        for (String p : preferred) {
            if (step.rules().contains(p)) {
                return p;
            }
        }
        return step.rules().isEmpty() ? "" : step.rules().get(0);
    }

    /** A message about page requests, fault queues or responses. */
    private void traffic(String from, String to, String label, String rule) {
        faultTraffic = true;
        add(from, to, label, rule);
    }

    /** A note that explains routing but is no fault traffic by itself. */
    private void context(String lane, String label) {
        add(lane, lane, label, rule());
    }

    private void add(String from, String to, String label, String rule) {
        boolean failing = index == trace.failingStep();
        boolean cause = trace.cause() != null && trace.cause().step() == index;
        messages.add(new Message(index, from, to, label, rule, failing, cause));
    }
}
