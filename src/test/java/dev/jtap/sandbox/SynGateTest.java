package dev.jtap.sandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SynGateTest {
    private final NetworkPlan plan = NetworkPlan.of("jtap0", "10.1.1.100/24", "10.1.1.1");

    @Test
    void ipv4RulesQueueSynsNatTheRestToTheListenerAndAnswerMarkedSyns() {
        String rules = SynGate.rules(plan, 4, "61000-61015", 1, 2);
        assertThat(rules)
                .contains("-A OUTPUT -o jtap0 -p tcp --syn -j NFQUEUE --queue-num 0")
                .contains("-A OUTPUT -o jtap0 -p tcp -m mark --mark 0 -j DNAT --to-destination 10.1.1.100:61000-61015")
                .contains("--mark 1 -j REJECT --reject-with tcp-reset")
                .contains("--mark 2 -j REJECT --reject-with icmp-host-unreachable");
        assertThat(rules.indexOf("*mangle")).isLessThan(rules.indexOf("*nat"));
        assertThat(rules.split("COMMIT", -1)).hasSize(4);
    }

    @Test
    void ipv6RulesUseTheChildsIpv6AddressInBrackets() {
        String rules = SynGate.rules(plan, 6, "61000-61015", 1, 2);
        assertThat(rules).contains("--to-destination [" + plan.childV6().getHostAddress() + "]:61000-61015")
                .contains("--reject-with icmp6-addr-unreachable");
    }
}
