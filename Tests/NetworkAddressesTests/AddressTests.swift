import Testing
import NetworkAddresses

@Test(arguments: ["00:00:00:00:00:01", "aa:bb:cc:dd:ee:ff", "0a:1b:2c:3d:4e:5f"])
func macAddressRoundTrips(text: String) throws {
    let mac = try #require(MACAddress(text))
    #expect(mac.description == text)
    #expect(MACAddress(rawValue: mac.rawValue) == mac)
}

@Test func macAddressRejectsGarbage() {
    #expect(MACAddress("aa:bb:cc:dd:ee") == nil)
    #expect(MACAddress("aa:bb:cc:dd:ee:fg") == nil)
    #expect(MACAddress("aaa:bb:cc:dd:ee:ff") == nil)
}

@Test func macAddressFlags() throws {
    #expect(MACAddress.broadcast.isBroadcast)
    #expect(try #require(MACAddress("01:80:c2:00:00:0e")).isMulticast)
    #expect(!(try #require(MACAddress("00:80:c2:00:00:0e")).isMulticast))
}

@Test(arguments: ["10.0.0.1", "0.0.0.0", "255.255.255.255", "192.168.1.200"])
func ipv4AddressRoundTrips(text: String) throws {
    let ip = try #require(IPv4Address(text))
    #expect(ip.description == text)
}

@Test func ipv4AddressRejectsGarbage() {
    #expect(IPv4Address("10.0.0") == nil)
    #expect(IPv4Address("10.0.0.256") == nil)
    #expect(IPv4Address("10..0.1") == nil)
    #expect(IPv4Address.mask(prefixLength: 24) == IPv4Address(255, 255, 255, 0))
    #expect(IPv4Address.mask(prefixLength: 0) == .any)
}

@Test(arguments: [
    ("fe80::1", "fe80::1"),
    ("2001:db8:0:0:0:0:0:1", "2001:db8::1"),
    ("::", "::"),
    ("::1", "::1"),
    ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
])
func ipv6AddressPrintsCanonically(input: String, canonical: String) throws {
    let ip = try #require(IPv6Address(input))
    #expect(ip.description == canonical)
    #expect(IPv6Address(canonical) == ip)
}

@Test func ipv6AddressRejectsGarbage() {
    #expect(IPv6Address("1::2::3") == nil)
    #expect(IPv6Address("12345::") == nil)
    #expect(IPv6Address("1:2:3") == nil)
}
