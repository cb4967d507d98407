package dev.jtap.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkPlanTest {
    @Test
    void defaultsMatchHttptap() {
        NetworkPlan plan = NetworkPlan.of("jtap0", "10.1.1.100/24", "10.1.1.1");
        assertThat(plan.childV4().getHostAddress()).isEqualTo("10.1.1.100");
        assertThat(plan.prefixV4()).isEqualTo(24);
        assertThat(plan.gatewayInSubnet()).isTrue();
        assertThat(plan.hostAliasV4().getHostAddress()).isEqualTo("169.254.77.65");
    }

    @ParameterizedTest
    @CsvSource({"10.1.1.100, 10.1.1.1", "10.1.1.100/40, 10.1.1.1", "10.1.1.300/24, 10.1.1.1",
            "10.1.1.100/24, 10.1.1.100", "10.1.1.100/24, example.com", "10.1.1.100/x, 10.1.1.1"})
    void badValuesAreOneLineErrors(String subnet, String gateway) {
        assertThatThrownBy(() -> NetworkPlan.of("jtap0", subnet, gateway))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\n");
    }

    @Test
    void gatewayOutsideSubnetGetsAnOnlinkRoute() {
        NetworkPlan plan = NetworkPlan.of("t", "192.168.9.5/24", "10.0.0.1");
        assertThat(plan.gatewayInSubnet()).isFalse();
        assertThat(InterfaceSetup.commands(plan)).contains("route add default via 10.0.0.1 dev t onlink");
    }

    @Test
    void childIdentityWrapsInNestedUserNamespace() {
        ChildIdentity caller = new ChildIdentity(1001, 1002, null, false);
        assertThat(caller.wrap(List.of("id"), true))
                .containsExactly("unshare", "--user", "--map-user=1001", "--map-group=1002", "--", "id");
        assertThat(caller.wrap(List.of("id"), false)).containsExactly("id");
    }
}
