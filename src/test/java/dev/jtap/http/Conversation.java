package dev.jtap.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.List;

/** A scripted connection: what the client and the server sent, in the order it happened. */
record Conversation(String name, List<Step> steps, String closeReason) {

    record Step(boolean fromClient, byte[] bytes) {
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    Conversation withSteps(List<Step> replaced) {
        return new Conversation(name, replaced, closeReason);
    }

    @Override
    public String toString() {
        return name;
    }

    static final class Builder {
        private final String name;
        private final List<Step> steps = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        Builder client(String text) {
            return client(text.getBytes(ISO_8859_1));
        }

        Builder client(byte[] bytes) {
            steps.add(new Step(true, bytes));
            return this;
        }

        Builder server(String text) {
            return server(text.getBytes(ISO_8859_1));
        }

        Builder server(byte[] bytes) {
            steps.add(new Step(false, bytes));
            return this;
        }

        Conversation closedCleanly() {
            return new Conversation(name, List.copyOf(steps), null);
        }

        Conversation closedWith(String reason) {
            return new Conversation(name, List.copyOf(steps), reason);
        }
    }
}
