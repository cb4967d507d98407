/**
 * The child's world: the network and mount namespaces it runs in, the TUN device that is its only
 * route, the netfilter rules that take its TCP to jtap's listener, the files laid over its /etc
 * (resolver, CA bundles), its environment and identity, and its life from spawn to exit status.
 * Everything the sandbox changes lives inside the namespaces or in one private temporary
 * directory, so nothing on the host is left behind.
 */
package dev.jtap.sandbox;
