package dev.ioasid.reports.html;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading the {@code changes} lines of a trace's steps (as the model's StateDiff writes them) back
 * into what a step did to fault queues, held requests and the responses devices received: the
 * reports module cannot see the model, only the trace.
 */
final class ChangeLines {

    private ChangeLines() {
    }


    private static final Pattern QUEUE_KEY = Pattern.compile("vm (\\d{1,9}) object (\\d{1,9})");
    private static final Pattern DELIVERED = Pattern.compile("delivered=\\[([^\\]]*)\\]");
    private static final Pattern AWAITING = Pattern.compile("awaiting=\\[([^\\]]*)\\]");
    private static final Pattern GROUP = Pattern.compile(
            "group (\\d{1,9}) of \\(dev=(\\d{1,9}), pasid=([^)]*)\\) at (\\w+)");
    private static final Pattern RESPONSES_KEY = Pattern.compile("responses of dev (\\d{1,9})");
    private static final Pattern RESPONSE = Pattern.compile("\\(pasid=([^,)]*), group=(\\d{1,9}), (\\w+)\\)");
    private static final Pattern HELD_KEY = Pattern.compile(
            "held requests \\(dev=(\\d{1,9}), pasid=([^,)]*), group=(\\d{1,9})\\)");

    /** A group as a fault queue line names it. */
    record QueuedGroup(int device, String pasid, int group, String level) {
    }

    /** A response as a {@code responses of dev D} line names it. */
    record Answer(int device, String pasid, int group, String code) {
    }

    /** A fault queue object and the groups its line lists (delivered, then awaiting). */
    record QueueLine(int vm, int id, List<QueuedGroup> delivered, List<QueuedGroup> awaiting) {
        static QueueLine parse(String key, String value) {
            Matcher k = QUEUE_KEY.matcher(key);
            if (value == null || !k.matches() || !value.startsWith("FAULT_QUEUE")) {
                return null;
            }
            return new QueueLine(Integer.parseInt(k.group(1)), Integer.parseInt(k.group(2)),
                    groups(DELIVERED, value), groups(AWAITING, value));
        }

        private static List<QueuedGroup> groups(Pattern list, String value) {
            List<QueuedGroup> groups = new ArrayList<>();
            Matcher m = list.matcher(value);
            if (m.find()) {
                Matcher g = GROUP.matcher(m.group(1));
                while (g.find()) {
                    groups.add(new QueuedGroup(Integer.parseInt(g.group(2)), g.group(3),
                            Integer.parseInt(g.group(1)), g.group(4)));
                }
            }
            return groups;
        }

        boolean holds(Answer a) {
            List<QueuedGroup> all = new ArrayList<>(delivered);
            all.addAll(awaiting);
            return all.stream().anyMatch(g -> g.device() == a.device() && g.group() == a.group()
                    && g.pasid().equals(a.pasid()));
        }
    }

    /**
     * The model state as the changes lines spell it, key by key ({@code vm 1 object 3} to
     * {@code FAULT_QUEUE users=1 ...}). The lines give only the new value, so what a step added
     * (a delivered group, an appended response) shows only against the value before it.
     */
    static final class StateLines {
        private final Map<String, String> lines = new HashMap<>();

        StepDelta apply(List<String> changes) {
            Map<String, String> before = new LinkedHashMap<>();
            Map<String, String> after = new LinkedHashMap<>();
            for (String change : changes) {
                if (change == null || change.length() < 3 || change.charAt(1) != ' ') {
                    continue;
                }
                char sign = change.charAt(0);
                String rest = change.substring(2);
                int colon = rest.indexOf(": ");
                String key = colon < 0 ? rest : rest.substring(0, colon);
                String value = colon < 0 ? null : rest.substring(colon + 2);
                if (sign != '+' && sign != '~' && sign != '-') {
                    continue;
                }
                before.putIfAbsent(key, lines.get(key));
                if (sign == '-') {
                    lines.remove(key);
                    after.put(key, null);
                } else {
                    lines.put(key, value == null ? "" : value);
                    after.put(key, value == null ? "" : value);
                }
            }
            return new StepDelta(before, after);
        }
    }

    /** What one step changed: the value before and after of every key it touched (null: absent). */
    record StepDelta(Map<String, String> before, Map<String, String> after) {

        /** Groups a fault queue gained in its delivered list, with the queue (PRQ-4). */
        List<Map.Entry<QueueLine, QueuedGroup>> newlyDelivered() {
            List<Map.Entry<QueueLine, QueuedGroup>> found = new ArrayList<>();
            for (String key : after.keySet()) {
                QueueLine now = QueueLine.parse(key, after.get(key));
                if (now == null) {
                    continue;
                }
                QueueLine was = QueueLine.parse(key, before.get(key));
                for (QueuedGroup g : added(was == null ? List.of() : was.delivered(), now.delivered())) {
                    found.add(Map.entry(now, g));
                }
            }
            return found;
        }

        /** Responses the devices received in this step, in the order of their lines. */
        List<Answer> newAnswers() {
            List<Answer> found = new ArrayList<>();
            for (String key : after.keySet()) {
                Matcher k = RESPONSES_KEY.matcher(key);
                if (!k.matches() || after.get(key) == null) {
                    continue;
                }
                int device = Integer.parseInt(k.group(1));
                found.addAll(added(answers(device, before.get(key)), answers(device, after.get(key))));
            }
            return found;
        }

        private static List<Answer> answers(int device, String value) {
            List<Answer> answers = new ArrayList<>();
            if (value != null) {
                Matcher m = RESPONSE.matcher(value);
                while (m.find()) {
                    answers.add(new Answer(device, m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
                }
            }
            return answers;
        }

        /** Whether a group's requests were held (or more were added to them) in this step (PRQ-1). */
        boolean heldGrew() {
            return after.entrySet().stream().anyMatch(e -> e.getValue() != null && HELD_KEY.matcher(e.getKey()).matches());
        }

        /** The held request groups this step dropped, as {@code group G of dev D pasid P}. */
        List<String> droppedHeld() {
            List<String> dropped = new ArrayList<>();
            after.forEach((key, value) -> {
                Matcher k = HELD_KEY.matcher(key);
                if (value == null && k.matches()) {
                    dropped.add("group " + k.group(3) + " of dev " + k.group(1) + " pasid " + k.group(2));
                }
            });
            return dropped;
        }

        /** The fault queues whose line this step changed, as they were before it (or after, if new). */
        List<QueueLine> changedQueues() {
            List<QueueLine> queues = new ArrayList<>();
            for (String key : after.keySet()) {
                QueueLine q = QueueLine.parse(key, before.get(key) != null ? before.get(key) : after.get(key));
                if (q != null) {
                    queues.add(q);
                }
            }
            return queues;
        }

        /** What {@code now} has beyond {@code was}: the appended tail, or else the multiset difference. */
        private static <T> List<T> added(List<T> was, List<T> now) {
            if (now.size() >= was.size() && now.subList(0, was.size()).equals(was)) {
                return List.copyOf(now.subList(was.size(), now.size()));
            }
            List<T> rest = new ArrayList<>(was);
            List<T> added = new ArrayList<>();
            for (T item : now) {
                if (!rest.remove(item)) {
                    added.add(item);
                }
            }
            return added;
        }
    }
}
