package dev.jtap.record.capture;

import static dev.jtap.record.capture.JsonTree.array;
import static dev.jtap.record.capture.JsonTree.object;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks a parsed HAR document against the fields HAR 1.2 requires, and their types. */
final class HarStructure {

    private static final Pattern DATE_TIME =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d)");

    private final List<String> problems = new ArrayList<>();

    private HarStructure() {
    }

    /** The problems found, empty when the document is a valid HAR 1.2 log. */
    static List<String> problems(Object har) {
        HarStructure check = new HarStructure();
        check.har(har);
        return check.problems;
    }

    private void har(Object har) {
        Map<String, Object> log = object(object(har).get("log"));
        string(log, "log", "version");
        Map<String, Object> creator = object(log.get("creator"));
        string(creator, "creator", "name");
        string(creator, "creator", "version");
        List<Object> entries = array(log.get("entries"));
        for (int i = 0; i < entries.size(); i++) {
            entry("entries[" + i + "]", object(entries.get(i)));
        }
    }

    private void entry(String where, Map<String, Object> entry) {
        String started = string(entry, where, "startedDateTime");
        if (started != null && !DATE_TIME.matcher(started).matches()) {
            problems.add(where + ".startedDateTime not ISO-8601: " + started);
        }
        nonNegative(entry, where, "time");
        request(where + ".request", object(entry.get("request")));
        response(where + ".response", object(entry.get("response")));
        object(entry.get("cache"));
        Map<String, Object> timings = object(entry.get("timings"));
        for (String phase : List.of("send", "wait", "receive")) {
            nonNegative(timings, where + ".timings", phase);
        }
        for (String phase : List.of("blocked", "dns", "connect", "ssl")) {
            if (timings.containsKey(phase) && ((Number) timings.get(phase)).doubleValue() < -1) {
                problems.add(where + ".timings." + phase + " below -1");
            }
        }
        optionalString(entry, where, "serverIPAddress");
        optionalString(entry, where, "connection");
    }

    private void request(String where, Map<String, Object> request) {
        string(request, where, "method");
        string(request, where, "url");
        string(request, where, "httpVersion");
        nameValues(where, request, "cookies");
        nameValues(where, request, "headers");
        nameValues(where, request, "queryString");
        integer(request, where, "headersSize");
        integer(request, where, "bodySize");
        if (request.containsKey("postData")) {
            string(object(request.get("postData")), where + ".postData", "mimeType");
        }
    }

    private void response(String where, Map<String, Object> response) {
        integer(response, where, "status");
        string(response, where, "statusText");
        string(response, where, "httpVersion");
        nameValues(where, response, "cookies");
        nameValues(where, response, "headers");
        Map<String, Object> content = object(response.get("content"));
        integer(content, where + ".content", "size");
        string(content, where + ".content", "mimeType");
        optionalString(content, where + ".content", "text");
        optionalString(content, where + ".content", "encoding");
        string(response, where, "redirectURL");
        integer(response, where, "headersSize");
        integer(response, where, "bodySize");
    }

    private void nameValues(String where, Map<String, Object> parent, String field) {
        if (!(parent.get(field) instanceof List<?> list)) {
            problems.add(where + "." + field + " missing or not an array");
            return;
        }
        for (Object item : list) {
            Map<String, Object> pair = object(item);
            string(pair, where + "." + field, "name");
            string(pair, where + "." + field, "value");
        }
    }

    private String string(Map<String, Object> parent, String where, String field) {
        if (parent.get(field) instanceof String value) {
            return value;
        }
        problems.add(where + "." + field + " missing or not a string");
        return null;
    }

    private void optionalString(Map<String, Object> parent, String where, String field) {
        if (parent.containsKey(field) && !(parent.get(field) instanceof String)) {
            problems.add(where + "." + field + " not a string");
        }
    }

    private void integer(Map<String, Object> parent, String where, String field) {
        if (!(parent.get(field) instanceof Long)) {
            problems.add(where + "." + field + " missing or not an integer");
        }
    }

    private void nonNegative(Map<String, Object> parent, String where, String field) {
        if (!(parent.get(field) instanceof Number number) || number.doubleValue() < 0) {
            problems.add(where + "." + field + " missing or negative");
        }
    }
}
