package dev.jtap.record.capture;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Renders raw DNS messages the way httptap prints them: {@code ---> DNS example.com. (A)} for a query
 * and one {@code <--- DNS name. (TYPE) data} line per answer record. Never throws: bytes that do not
 * parse become a single "malformed message" line.
 */
public final class DnsDisplay {

    /**
     * The gist of a response, for JSON output.
     *
     * @param name    the question's name with its final dot, or "" when there is none
     * @param type    the question's type mnemonic, e.g. "AAAA", or "" when there is none
     * @param rcode   e.g. "NOERROR", "NXDOMAIN"; "MALFORMED" when the bytes did not parse
     * @param answers the data of each answer record, rendered as in the console lines
     */
    public record Summary(String name, String type, String rcode, List<String> answers) {
    }

    private DnsDisplay() {
    }

    public static List<String> queryLines(byte[] query) {
        try {
            Message message = new Message(query);
            List<Record> questions = message.getSection(Section.QUESTION);
            if (questions.isEmpty()) {
                return List.of("---> DNS (no question)");
            }
            List<String> lines = new ArrayList<>();
            for (Record question : questions) {
                lines.add("---> DNS " + nameAndType(question));
            }
            return lines;
        } catch (Exception e) {
            return List.of("---> DNS (malformed message: " + reason(e) + ")");
        }
    }

    public static List<String> responseLines(byte[] response) {
        try {
            Message message = new Message(response);
            String asked = message.getQuestion() == null ? "(no question)" : nameAndType(message.getQuestion());
            int rcode = message.getRcode();
            if (rcode != Rcode.NOERROR) {
                return List.of("<--- DNS " + asked + " " + Rcode.string(rcode));
            }
            List<Record> answers = message.getSection(Section.ANSWER);
            if (answers.isEmpty()) {
                return List.of("<--- DNS " + asked + " (no answers)");
            }
            List<String> lines = new ArrayList<>();
            for (Record answer : answers) {
                lines.add("<--- DNS " + nameAndType(answer) + " " + data(answer));
            }
            return lines;
        } catch (Exception e) {
            return List.of("<--- DNS (malformed message: " + reason(e) + ")");
        }
    }

    public static Summary summarize(byte[] response) {
        try {
            Message message = new Message(response);
            Record question = message.getQuestion();
            List<String> answers = new ArrayList<>();
            for (Record answer : message.getSection(Section.ANSWER)) {
                answers.add(data(answer));
            }
            return new Summary(question == null ? "" : question.getName().toString(),
                    question == null ? "" : Type.string(question.getType()),
                    Rcode.string(message.getRcode()), List.copyOf(answers));
        } catch (Exception e) {
            return new Summary("", "", "MALFORMED", List.of());
        }
    }

    private static String nameAndType(Record record) {
        return record.getName() + " (" + Type.string(record.getType()) + ")";
    }

    /** The record's data as a person reads it; types without a special case use the zone-file form. */
    static String data(Record record) {
        return switch (record) {
            case ARecord a -> a.getAddress().getHostAddress();
            case AAAARecord aaaa -> Ipv6Text.compressed(aaaa.getAddress().getAddress());
            case MXRecord mx -> mx.getPriority() + " " + mx.getTarget();
            case SRVRecord srv -> srv.getPriority() + " " + srv.getWeight() + " " + srv.getPort() + " " + srv.getTarget();
            case TXTRecord txt -> txt.getStrings().size() == 1 ? txt.getStrings().getFirst() : txt.rdataToString();
            case CNAMERecord cname -> cname.getTarget().toString();
            case NSRecord ns -> ns.getTarget().toString();
            case PTRRecord ptr -> ptr.getTarget().toString();
            case DNAMERecord dname -> dname.getTarget().toString();
            default -> record.rdataToString();
        };
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
