package dev.jtap.record;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prints exchanges the way httptap does: a {@code --->} line per request and a {@code <---} line per
 * response, optionally followed by headers and decoded bodies. Each event is printed as one block
 * ({@link ConsoleOutput}), so blocks from concurrent connections never interleave.
 */
public final class ConsoleSink implements ExchangeSink {

    private static final String RESET = "\u001b[0m";
    private static final String BLUE_BOLD = "\u001b[1;34m";
    private static final String GREEN = "\u001b[32m";
    private static final String MAGENTA = "\u001b[35m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RED = "\u001b[31m";

    private final ConsoleOutput out;
    private final boolean color;
    private final boolean showHeaders;
    private final boolean showBodies;
    /** Exchanges whose request body was already printed with the request line. */
    private final Set<Long> requestBodyShown = ConcurrentHashMap.newKeySet();
    /** Streamed exchanges whose response head (and headers) were already printed. */
    private final Set<Long> responseHeadShown = ConcurrentHashMap.newKeySet();
    /** Exchanges whose body was already printed event by event. */
    private final Set<Long> eventsShown = ConcurrentHashMap.newKeySet();

    public ConsoleSink(PrintStream out, boolean color, boolean showHeaders, boolean showBodies) {
        this.out = ConsoleOutput.of(out);
        this.color = color;
        this.showHeaders = showHeaders;
        this.showBodies = showBodies;
    }

    @Override
    public boolean isDisplay() {
        return true;
    }

    @Override
    public void requestSent(Exchange exchange) {
        StringBuilder block = new StringBuilder();
        block.append(paint(BLUE_BOLD, "---> " + exchange.method() + " " + exchange.url()));
        if (showHeaders) {
            appendHeaders(block, "> ", exchange.requestHeaders());
        }
        if (showBodies && !exchange.requestBody().isEmpty()) {
            requestBodyShown.add(exchange.id());
            appendBody(block, exchange.requestBody(), exchange.requestHeaders());
        }
        out.print(block);
    }

    @Override
    public void responseStarted(Exchange exchange) {
        responseHeadShown.add(exchange.id());
        StringBuilder block = new StringBuilder();
        block.append(paint(statusColor(exchange.status()),
                "<--- " + exchange.status() + " " + exchange.url() + " (streaming)"));
        if (showHeaders) {
            appendHeaders(block, "< ", exchange.responseHeaders());
        }
        out.print(block);
    }

    @Override
    public void serverSentEvent(Exchange exchange, String eventText) {
        if (!showBodies) {
            return;
        }
        eventsShown.add(exchange.id());
        out.print("<-- event: " + eventText.replace("\n", "\n           "));
    }

    @Override
    public void webSocketMessage(Exchange exchange, WebSocketMessage message) {
        String arrow = message.fromClient() ? "-->> " : "<<-- ";
        String line = switch (message.opcode()) {
            case 1 -> "ws text " + ByteSizes.human(message.length())
                    + (showBodies && !message.data().isEmpty() ? ": " + message.data() : "");
            case 2 -> "ws binary " + ByteSizes.human(message.length());
            case 8 -> message.data().isEmpty() ? "ws close" : "ws close " + message.data();
            case 9 -> "ws ping " + ByteSizes.human(message.length());
            case 10 -> "ws pong " + ByteSizes.human(message.length());
            default -> "ws opcode " + message.opcode() + " " + ByteSizes.human(message.length());
        };
        out.print(arrow + line);
    }

    @Override
    public void exchangeFinished(Exchange exchange) {
        StringBuilder block = new StringBuilder();
        boolean headShownEarlier = responseHeadShown.remove(exchange.id());
        boolean eventsShownEarlier = eventsShown.remove(exchange.id());
        boolean bodyShownEarlier = requestBodyShown.remove(exchange.id());
        if (showBodies && !bodyShownEarlier && !exchange.requestBody().isEmpty()) {
            // The body usually arrives after the request line was printed: show it ahead of the response.
            block.append(BodyRenderer.render(exchange.requestBody(), exchange.requestHeaders())).append('\n');
        }
        if (exchange.error() != null) {
            block.append(paint(RED, "<--- ERR " + exchange.url() + " (" + exchange.error() + ")"));
        } else {
            block.append(paint(statusColor(exchange.status()), "<--- " + exchange.status() + " " + exchange.url()
                    + " (" + exchange.responseBody().size() + " bytes)"));
        }
        if (exchange.status() > 0) {
            if (showHeaders && !headShownEarlier) {
                appendHeaders(block, "< ", exchange.responseHeaders());
            }
            if (showBodies && !eventsShownEarlier) {
                appendBody(block, exchange.responseBody(), exchange.responseHeaders());
            }
        }
        out.print(block);
    }

    private static void appendHeaders(StringBuilder block, String marker, List<Header> headers) {
        for (Header header : headers) {
            block.append('\n').append(marker).append(header.name()).append(": ").append(header.value());
        }
    }

    private static void appendBody(StringBuilder block, Body body, List<Header> headers) {
        String rendered = BodyRenderer.render(body, headers);
        if (!rendered.isEmpty()) {
            block.append('\n').append(rendered);
        }
    }

    private static String statusColor(int status) {
        if (status >= 100 && status < 300) {
            return GREEN;
        }
        if (status >= 300 && status < 400) {
            return MAGENTA;
        }
        if (status >= 400 && status < 500) {
            return YELLOW;
        }
        return RED;
    }

    private String paint(String ansi, String line) {
        return color ? ansi + line + RESET : line;
    }
}
