package dev.ioasid.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.ImplementationBroke;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.reports.RecordJson;
import dev.ioasid.reports.TraceFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One running implementation process and our side of the protocol (PROTOCOL.md): hello, reset,
 * apply, bye, one JSON object a line each way. Whatever the process does wrong (exits, stays silent
 * past the timeout, prints something that is not the answer, answers another request) becomes an
 * {@link ImplementationBroke} saying which request, what it printed, and its last lines on stderr;
 * the process is then killed, and the session is over.
 */
final class ProcessSession implements AutoCloseable {
    static final int PROTOCOL = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EOF = new String("end of output");
    private static final int STDERR_LINES = 10;
    /** Requests sent before their answers are read: a few kilobytes, far below a pipe's 64 KiB. */
    private static final int BATCH = 64;

    private final String command;
    private final Duration timeout;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private long seq;
    private final Thread stderrPump;
    private boolean broken;
    private String helloName;
    private boolean snapshots;
    private boolean concurrent;
    /** Concurrent requests sent and not yet answered; answers read by a thread they are not for wait here. */
    private final java.util.Set<Long> outstanding = new java.util.HashSet<>();
    private final java.util.Map<Long, JsonNode> answeredEarly = new java.util.HashMap<>();

    private ProcessSession(String command, Duration timeout, Process process) {
        this.command = command;
        this.timeout = timeout;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump("stdout", new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), stdout::add, true);
        this.stderrPump = pump("stderr", new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8)), this::keepStderr, false);
    }

    /** Starts the command ({@code sh -c}) and says hello; the implementation's name comes back. */
    static ProcessSession start(String command, Duration timeout, Bounds bounds) {
        Process process;
        try {
            process = new ProcessBuilder("sh", "-c", command).start();
        } catch (IOException e) {
            throw new ImplementationBroke("cannot start `" + command + "`: " + e.getMessage(), e);
        }
        ProcessSession session = new ProcessSession(command, timeout, process);
        session.hello(bounds);
        return session;
    }

    String implementationName() {
        return helloName;
    }

    /** Whether the hello declared {@code "snapshots": true}. */
    boolean snapshots() {
        return snapshots;
    }

    private void hello(Bounds bounds) {
        ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("protocol", PROTOCOL);
        hello.set("bounds", RecordJson.write(bounds));
        JsonNode answer = exchange(hello, "hello", Duration.ofSeconds(Math.max(30, timeout.toSeconds())));
        JsonNode protocol = answer.get("protocol");
        if (protocol == null || !protocol.isInt() || protocol.intValue() != PROTOCOL) {
            throw broke("hello", "answered protocol " + protocol + ", we speak " + PROTOCOL);
        }
        JsonNode name = answer.get("name");
        // The name ends up in file names (trace-NAME-seed1.json): keep it to safe characters.
        helloName = name != null && name.isTextual() && !name.textValue().isBlank()
                ? name.textValue().replaceAll("[^A-Za-z0-9._-]", "-") : "process";
        JsonNode offers = answer.get("snapshots");
        if (offers != null && !offers.isBoolean()) {
            throw broke("hello", "answered \"snapshots\": " + offers + ", expected true or false");
        }
        snapshots = offers != null && offers.booleanValue();
        JsonNode atOnce = answer.get("concurrent");
        if (atOnce != null && !atOnce.isBoolean()) {
            throw broke("hello", "answered \"concurrent\": " + atOnce + ", expected true or false");
        }
        concurrent = atOnce != null && atOnce.booleanValue();
    }

    /** Whether the hello declared {@code "concurrent": true}: apply requests may then overlap. */
    boolean concurrent() {
        return concurrent;
    }

    /**
     * One apply request marked {@code "concurrent": true}, which other threads' may overlap (a
     * session whose hello declared concurrent requests only): sent at once, then its answer awaited,
     * whichever order the process answers in. An answer read here for another request is left for it.
     */
    Result applyConcurrently(Operation op) {
        long mine;
        synchronized (this) {
            mine = ++seq;
            outstanding.add(mine);
            ObjectNode apply = JSON.createObjectNode().put("type", "apply").put("seq", mine).put("concurrent", true);
            apply.set("op", RecordJson.write(op));
            try {
                send(apply, op.toString());
                flush(op.toString());
            } catch (ImplementationBroke e) {
                throw new ImplementationBroke(e.getMessage(), op);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (this) {
                JsonNode early = answeredEarly.remove(mine);
                if (early != null) {
                    return resultOf(op, early);
                }
                if (broken) {
                    throw new ImplementationBroke("the process of `" + command + "` broke the protocol while "
                            + op + " waited for its answer", op);
                }
            }
            if (System.nanoTime() > deadline) {
                throw broke(op, "did not answer within " + timeout.toMillis() / 1000.0 + " s");
            }
            String line;
            try {
                line = stdout.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw broke(op, "interrupted while waiting");
            }
            if (line == null) {
                continue;
            }
            if (line == EOF) {
                stdout.add(EOF); // for the other threads waiting
                throw broke(op, "closed its output without answering: " + exitStatus());
            }
            JsonNode answer = parsed(line, "result", op.toString());
            JsonNode theirs = answer.get("seq");
            synchronized (this) {
                if (theirs == null || !theirs.isIntegralNumber() || !outstanding.remove(theirs.longValue())) {
                    throw broke(op, "answered seq " + theirs + ", which is no request awaiting its answer");
                }
                if (theirs.longValue() == mine) {
                    return resultOf(op, answer);
                }
                answeredEarly.put(theirs.longValue(), answer);
            }
        }
    }

    /** Whether concurrent requests are still awaiting their answers (no plain request may go meanwhile). */
    synchronized boolean concurrentRequestsOutstanding() {
        return !outstanding.isEmpty();
    }

    /** A fresh instance in the initial state of the bounds. */
    void reset(Bounds bounds) {
        ObjectNode reset = JSON.createObjectNode().put("type", "reset");
        reset.set("bounds", RecordJson.write(bounds));
        exchange(reset, "ready", timeout);
    }

    /** Saves the current instance's state; the number the process gave it comes back. */
    long snapshot() {
        JsonNode answer = exchange(JSON.createObjectNode().put("type", "snapshot"), "snapshot", timeout);
        JsonNode id = answer.get("id");
        if (id == null || !id.isIntegralNumber()) {
            throw broke("snapshot", "answered " + clip(answer.toString()) + ", expected a whole number in \"id\"");
        }
        return id.longValue();
    }

    /** Makes the current instance what it was at the snapshot. */
    void restore(long id) {
        exchange(JSON.createObjectNode().put("type", "restore").put("id", id), "ready", timeout);
    }

    /**
     * Sends the operations at once and then reads their answers in order (pipelining: the process
     * answers a burst without a round trip per request). Batches stay far below a pipe's buffer, so
     * a process that stops reading cannot block the sending side; each answer has its own timeout.
     */
    List<Result> applyAll(List<Operation> ops) {
        List<Result> results = new ArrayList<>(ops.size());
        for (int from = 0; from < ops.size(); from += BATCH) {
            List<Operation> batch = ops.subList(from, Math.min(ops.size(), from + BATCH));
            long first = seq + 1;
            for (Operation op : batch) {
                ObjectNode apply = JSON.createObjectNode().put("type", "apply").put("seq", ++seq);
                apply.set("op", RecordJson.write(op));
                try {
                    send(apply, op.toString());
                } catch (ImplementationBroke e) {
                    throw new ImplementationBroke(e.getMessage(), op);
                }
            }
            flush(batch.get(0).toString());
            for (int k = 0; k < batch.size(); k++) {
                results.add(result(batch.get(k), first + k));
            }
        }
        return results;
    }

    private Result result(Operation op, long mine) {
        JsonNode answer;
        try {
            answer = receive("result", timeout, op.toString());
        } catch (ImplementationBroke e) {
            throw new ImplementationBroke(e.getMessage(), op);
        }
        JsonNode theirs = answer.get("seq");
        if (theirs == null || !theirs.isIntegralNumber() || theirs.longValue() != mine) {
            throw broke(op, "answered seq " + theirs + ", expected " + mine + " (out of order)");
        }
        return resultOf(op, answer);
    }

    private Result resultOf(Operation op, JsonNode answer) {
        try {
            return RecordJson.readResult(answer.get("result"), "result");
        } catch (TraceFormatException e) {
            throw broke(op, "printed a result that is not one: " + e.getMessage() + " in " + answer);
        }
    }

    /** Sends one request and waits for the answer of the expected type. */
    private JsonNode exchange(ObjectNode request, String expectedType, Duration wait) {
        String what = request.get("type").textValue();
        send(request, what);
        flush(what);
        return receive(expectedType, wait, what);
    }

    private void send(ObjectNode request, String what) {
        if (broken) {
            throw new ImplementationBroke("the process of `" + command + "` already broke the protocol");
        }
        try {
            stdin.write(request.toString());
            stdin.write('\n');
        } catch (IOException e) {
            throw broke(what, "could not be sent the request (" + e.getMessage() + "): " + exitStatus());
        }
    }

    private void flush(String what) {
        try {
            stdin.flush();
        } catch (IOException e) {
            throw broke(what, "could not be sent the request (" + e.getMessage() + "): " + exitStatus());
        }
    }

    /** The next line the process printed, which must be an object of the expected type. */
    private JsonNode receive(String expectedType, Duration wait, String what) {
        String line;
        try {
            line = stdout.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw broke(what, "interrupted while waiting");
        }
        if (line == null) {
            throw broke(what, "did not answer within " + wait.toMillis() / 1000.0 + " s");
        }
        if (line == EOF) {
            throw broke(what, "closed its output without answering: " + exitStatus());
        }
        return parsed(line, expectedType, what);
    }

    /** A line the process printed, which must be an object of the expected type. */
    private JsonNode parsed(String line, String expectedType, String what) {
        JsonNode answer;
        try {
            answer = JSON.readTree(line);
        } catch (IOException e) {
            throw broke(what, "printed `" + clip(line) + "`, which is not JSON");
        }
        JsonNode type = answer == null ? null : answer.get("type");
        if (type == null || !expectedType.equals(type.asText())) {
            throw broke(what, "printed `" + clip(line) + "`, expected an object with \"type\": \"" + expectedType + "\"");
        }
        return answer;
    }

    private ImplementationBroke broke(Operation op, String problem) {
        ImplementationBroke broke = broke(op.toString(), problem);
        return new ImplementationBroke(broke.getMessage(), op);
    }

    private ImplementationBroke broke(String what, String problem) {
        broken = true;
        // Signal it without closing our ends of its pipes (Process.destroy would), so that what it
        // wrote on stderr before it died can still be read to the end.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
        try {
            stderrPump.join(2000); // its last words
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
        String lastErr;
        synchronized (stderr) {
            lastErr = stderr.isEmpty() ? "" : "; its last lines on stderr:\n    " + String.join("\n    ", stderr);
        }
        return new ImplementationBroke("`" + command + "` " + problem + " (request: " + what + ")" + lastErr);
    }

    private String exitStatus() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                return "it exited with status " + process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "it is still running";
    }

    private static String clip(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private void keepStderr(String line) {
        synchronized (stderr) {
            stderr.addLast(line);
            while (stderr.size() > STDERR_LINES) {
                stderr.removeFirst();
            }
        }
    }

    private static Thread pump(String name, BufferedReader in, java.util.function.Consumer<String> sink, boolean markEnd) {
        Thread t = new Thread(() -> {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process went away: the end marker below tells the waiting side
            }
            if (markEnd) {
                sink.accept(EOF);
            }
        }, "implementation-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    boolean alive() {
        return !broken && process.isAlive();
    }

    @Override
    public void close() {
        // Whatever the command started goes too: once the shell exits its children are no longer its
        // descendants, so they are listed first (a grandchild must not outlive the run).
        java.util.List<ProcessHandle> started = process.descendants().toList();
        if (process.isAlive() && !broken) {
            try {
                stdin.write("{\"type\":\"bye\"}\n");
                stdin.flush();
                stdin.close();
                if (process.waitFor(2, TimeUnit.SECONDS)) {
                    started.forEach(ProcessHandle::destroyForcibly);
                    return;
                }
            } catch (IOException e) {
                // it is going away anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        started.forEach(ProcessHandle::destroyForcibly);
        kill();
    }

    /** The shell and whatever it started. */
    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
