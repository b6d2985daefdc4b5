#!/usr/bin/python3
"""Star of N hosts on one Linux bridge with Mininet, up and down, timed.

Usage: /usr/bin/python3 star_mininet.py N REPS
Prints one line per repetition: "up_ms=<float> down_ms=<float>".

LinuxBridge switch, no controller. The switch is called nlbsw1 (not s1) so that Mininet's
'brctl delbr <name>' at start can never hit a bridge somebody else made. net.stop() removes
everything Mininet created; never run 'mn -c', which deletes what it does not own.

Mininet.init() calls fixLimits(), which raises machine-wide sysctls (gc_thresh1-3 to
4096/8192/16384, net.core.[rw]mem_max, tcp_[rw]mem, netdev_max_backlog, kernel.pty.max) and
never restores them. The benchmark must not change the machine, so that call is disabled here;
building a 50-host star does not need the raised limits.
"""
import sys
import time

import mininet.net
from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.nodelib import LinuxBridge
from mininet.topo import Topo


class Star(Topo):
    def build(self, n=2):
        switch = self.addSwitch('nlbsw1')
        for i in range(1, n + 1):
            self.addLink(self.addHost('h%d' % i), switch)


def main():
    n, reps = int(sys.argv[1]), int(sys.argv[2])
    setLogLevel('warning')
    mininet.net.fixLimits = lambda: None
    for _ in range(reps):
        start = time.perf_counter()
        net = Mininet(topo=Star(n=n), switch=LinuxBridge, controller=None)
        try:
            net.start()
            up = time.perf_counter()
        finally:
            net.stop()
        down = time.perf_counter()
        print('up_ms=%.1f down_ms=%.1f' % ((up - start) * 1000, (down - up) * 1000), flush=True)


if __name__ == '__main__':
    main()
