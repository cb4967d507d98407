"""Writes seeded-random hostile packets straight into the TUN device (AF_PACKET, so the kernel's own
stack does not sanitise them) for jtap's PacketLoop to read. Needs CAP_NET_RAW in the namespace, i.e.
jtap --no-new-user-namespace as root. Destinations are only jtap's gateway (DNS, which the test points
at a loopback server) and the host alias (= the host's 127.0.0.1): mutations never touch addresses,
so nothing leaves the machine. Usage: hostile_packets.py SEED COUNT PORT"""
import os, random, socket, struct, sys
seed, count = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(seed)
dev = os.environ.get("TUN", "jtap0")
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
s.bind((dev, 0))
def csum(b):
    if len(b) % 2: b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b)//2), b)); t = (t >> 16) + (t & 0xffff); t += t >> 16
    return (~t) & 0xffff
CHILD, GW, ALIAS = bytes([10,1,1,100]), bytes([10,1,1,1]), bytes([169,254,77,65])
def ip4(proto, payload, src=CHILD, dst=ALIAS, ihl_extra=b"", flags_frag=0x4000):
    ihl = 5 + len(ihl_extra)//4
    h = struct.pack("!BBHHHBBH4s4s", 0x40|ihl, 0, 20+len(ihl_extra)+len(payload), rnd.randrange(65536), flags_frag, 64, proto, 0, src, dst) + ihl_extra
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload
def tcp(sport, dport, flags, seq=0, ack=0, data=b"", src=CHILD, dst=ALIAS, off=5, opts=b""):
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off<<4, flags, 65535, 0, 0) + opts + data
    ph = src + dst + struct.pack("!BBH", 0, 6, len(t))
    return t[:16] + struct.pack("!H", csum(ph + t)) + t[18:]
def udp(sport, dport, data, src=CHILD, dst=GW):
    u = struct.pack("!HHHH", sport, dport, 8+len(data), 0) + data
    ph = src + dst + struct.pack("!BBH", 0, 17, len(u))
    return u[:6] + struct.pack("!H", csum(ph + u) or 0xffff) + u[8:]
def mutate(b):
    b = bytearray(b)
    for _ in range(rnd.randint(1, 4)):
        i = rnd.randrange(len(b))
        if i == 0:
            b[0] = (b[0] & 0xf0) | rnd.randrange(16)   # header length only: the version stays 4
        elif not 12 <= i < 20:                         # never the addresses
            b[i] = rnd.randrange(256)
    if rnd.random() < 0.2: b = b[:rnd.randrange(len(b)+1)]
    return bytes(b)
def garbage():
    b = bytearray(os.urandom(rnd.randrange(0, 80)))
    if b:
        b[0] = (rnd.choice([0, 1, 2, 3, 5, 7, 8, 15]) << 4) | (b[0] & 15)  # not 4 or 6: never routable
    return bytes(b)
def dnsq():
    q = struct.pack("!HHHHHH", rnd.randrange(65536), 0x0100, 1, 0, 0, 0) + b"\x04host\x04jtap\x05local\x00" + struct.pack("!HH", 1, 1)
    return q
kinds = {}
sent = 0
for i in range(count):
    k = rnd.randrange(10)
    port = rnd.choice([int(sys.argv[3]), 53, 80, 443, rnd.randrange(1, 65536)])
    if k == 0: p = garbage()
    elif k == 1: p = mutate(ip4(6, tcp(rnd.randrange(1024, 65536), port, rnd.randrange(256))))
    elif k == 2: p = ip4(6, tcp(rnd.randrange(1024, 65536), port, 0x02))            # SYN flood
    elif k == 3: p = ip4(6, tcp(rnd.randrange(1024, 65536), port, rnd.choice([0x10, 0x18, 0x04, 0x01, 0x11]), rnd.getrandbits(32), rnd.getrandbits(32), os.urandom(rnd.randrange(0, 40))))
    elif k == 4: p = mutate(ip4(17, udp(rnd.randrange(1024, 65536), 53, dnsq())))
    elif k == 5: p = ip4(17, udp(rnd.randrange(1024, 65536), 53, os.urandom(rnd.randrange(0, 60))))
    elif k == 6: p = ip4(6, tcp(rnd.randrange(1024, 65536), port, 0x02, off=rnd.randrange(16), opts=os.urandom(rnd.randrange(0, 40)//4*4)))
    elif k == 7: p = ip4(rnd.choice([6, 17, 1, 58, 255]), os.urandom(rnd.randrange(0, 30)), flags_frag=rnd.choice([0x2000, 0x0001, 0x2005]))  # fragments
    elif k == 8: p = mutate(ip4(1, struct.pack("!BBHHH", 8, 0, 0, 1, i) + os.urandom(16)))
    else: p = mutate(ip4(6, tcp(rnd.randrange(1024, 65536), port, 0x02), ihl_extra=os.urandom(rnd.randrange(0, 40)//4*4)))
    proto = 0x0800
    try:
        s.sendto(p, (dev, proto)); sent += 1
    except OSError as e:
        kinds[e.errno] = kinds.get(e.errno, 0) + 1
print("sent", sent, "rejected by the kernel", sum(kinds.values()), flush=True)
