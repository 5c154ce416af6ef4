import Testing

@testable import Virtualization

@Suite struct VirtualRouterFIBTests {
    @Test func longestPrefixWins() {
        var fib = VirtualRouterFIB([
            FIBEntry(prefix: ip("0.0.0.0"), prefixLength: 0, nextHop: ip("1.1.1.1"), interface: 0),
            FIBEntry(prefix: ip("10.0.0.0"), prefixLength: 8, nextHop: ip("2.2.2.2"), interface: 1),
            FIBEntry(prefix: ip("10.1.2.99"), prefixLength: 24, nextHop: nil, interface: 2),
        ])
        #expect(fib.count == 3)
        #expect(fib.lookup(ip("10.1.2.3"))?.interface == 2)
        #expect(fib.lookup(ip("10.1.3.3"))?.interface == 1)
        #expect(fib.lookup(ip("192.168.0.1"))?.interface == 0)
        #expect(fib.entries.first?.prefix == ip("10.1.2.0"))
        fib.apply(.withdraw(prefix: ip("10.1.2.0"), prefixLength: 24))
        #expect(fib.lookup(ip("10.1.2.3"))?.interface == 1)
        fib.apply(.withdraw(prefix: ip("0.0.0.0"), prefixLength: 0))
        #expect(fib.lookup(ip("192.168.0.1")) == nil)
        fib.apply(.replaceAll([FIBEntry(prefix: ip("192.168.0.0"), prefixLength: 16, nextHop: nil, interface: 3)]))
        #expect(fib.count == 1 && fib.lookup(ip("10.0.0.1")) == nil && fib.lookup(ip("192.168.7.7"))?.interface == 3)
    }

    @Test func addingTheSamePrefixReplacesIt() {
        var fib = VirtualRouterFIB()
        fib.insert(FIBEntry(prefix: ip("10.0.0.0"), prefixLength: 8, nextHop: ip("1.1.1.1"), interface: 0))
        fib.insert(FIBEntry(prefix: ip("10.0.0.0"), prefixLength: 8, nextHop: ip("3.3.3.3"), interface: 1))
        #expect(fib.count == 1)
        #expect(fib.lookup(ip("10.9.9.9"))?.nextHop == ip("3.3.3.3"))
    }
}
