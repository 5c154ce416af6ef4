extension Topology {
    /// The cheapest chain of links from switch `source` to switch `destination` by
    /// ``weight(of:)`` (Dijkstra); `[]` if they are the same switch, nil if there is no path.
    /// Links are tried in a fixed order (switches by distance then id, links sorted), so equal-cost
    /// ties always resolve the same way.
    public func shortestPath(from source: UInt64, to destination: UInt64) -> [Link]? {
        guard switches.contains(source), switches.contains(destination) else { return nil }
        if source == destination { return [] }
        var distance: [UInt64: UInt64] = [source: 0]
        var via: [UInt64: Link] = [:]
        var done: Set<UInt64> = []
        // Small graphs: a linear scan for the nearest unfinished switch is enough.
        while true {
            let candidates = distance.filter { !done.contains($0.key) }
            guard let (current, d) = candidates.min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { return nil }
            if current == destination { break }
            done.insert(current)
            for link in links(from: current) where !done.contains(link.destination.datapathID) {
                let next = link.destination.datapathID
                let candidate = d + weight(of: link)
                if candidate < distance[next] ?? .max {
                    distance[next] = candidate
                    via[next] = link
                }
            }
        }
        var path: [Link] = []
        var at = destination
        while at != source, let link = via[at] {
            path.append(link)
            at = link.source.datapathID
        }
        return path.reversed()
    }

    /// The hops a packet takes from a host attached at `source` to one attached at
    /// `destination`: in at the source's port, along ``shortestPath(from:to:)``, out at the
    /// destination's port. Nil if there is no path.
    public func hops(from source: Endpoint, to destination: Endpoint) -> [PathHop]? {
        guard let path = shortestPath(from: source.datapathID, to: destination.datapathID) else { return nil }
        var hops: [PathHop] = []
        var inPort = source.port
        for link in path {
            hops.append(PathHop(datapathID: link.source.datapathID, inPort: inPort, outPort: link.source.port))
            inPort = link.destination.port
        }
        hops.append(PathHop(datapathID: destination.datapathID, inPort: inPort, outPort: destination.port))
        return hops
    }
}
