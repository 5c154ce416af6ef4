import NIOCore
import NetworkAddresses
import Packets

/// The routing table calculation of RFC 2328 §16 for one area of point-to-point links:
/// Dijkstra over router-LSAs (§16.1, with the back-link check of step 2b), stub networks of the
/// routers in the tree, then inter-area routes from summary-LSAs (§16.2).
///
/// Destinations the root itself advertises (its interface subnets and stub networks) are
/// connected, not routed, and are left out of the result.
struct ShortestPathFirst {
    /// A directly attached neighbour: the root's p2p link whose Link Data is `interfaceAddress`
    /// leads to `routerID` at `address` through `interface`.
    struct Adjacency {
        var interface: String
        var interfaceAddress: IPv4Address
        var routerID: IPv4Address
        var address: IPv4Address
    }

    var root: IPv4Address
    var adjacencies: [Adjacency]

    func routes(lsas: [OSPFv2LSA]) -> [OSPFPrefix: OSPFRoute] {
        var routers: [IPv4Address: OSPFv2RouterLSA] = [:]
        var summaries: [(header: OSPFv2LSAHeader, body: OSPFv2SummaryLSA)] = []
        for lsa in lsas where lsa.header.age < OSPFv2LSAHeader.maxAge {
            switch lsa.header.type {
            case .router:
                if let body = try? lsa.routerLSA, lsa.header.linkStateID == lsa.header.advertisingRouter {
                    routers[lsa.header.advertisingRouter] = body
                }
            case .summaryNetwork:
                if let body = try? lsa.summaryLSA { summaries.append((lsa.header, body)) }
            default:
                break
            }
        }

        // Stage 1: the shortest-path tree of routers.
        var distance: [IPv4Address: UInt32] = [:]
        var nextHops: [IPv4Address: Set<OSPFNextHop>] = [:]
        var candidates: [IPv4Address: (cost: UInt32, hops: Set<OSPFNextHop>)] = [:]
        var tree: [IPv4Address] = []
        guard routers[root] != nil else { return [:] }
        candidates[root] = (0, [])
        while let next = candidates.min(by: { ($0.value.cost, $0.key) < ($1.value.cost, $1.key) }) {
            let vertex = next.key
            let entry = next.value
            candidates[vertex] = nil
            distance[vertex] = entry.cost
            nextHops[vertex] = entry.hops
            tree.append(vertex)
            guard let lsa = routers[vertex] else { continue }
            for link in lsa.links where link.type == .pointToPoint {
                let neighbor = link.linkID
                guard distance[neighbor] == nil, let other = routers[neighbor],
                    other.links.contains(where: { $0.type == .pointToPoint && $0.linkID == vertex })
                else { continue }
                let cost = entry.cost + UInt32(link.metric)
                var hops = entry.hops
                if vertex == root {
                    guard
                        let adjacency = adjacencies.first(where: {
                            $0.interfaceAddress == link.linkData && $0.routerID == neighbor
                        })
                    else { continue }
                    hops = [OSPFNextHop(interface: adjacency.interface, address: adjacency.address)]
                }
                if let existing = candidates[neighbor] {
                    if cost < existing.cost {
                        candidates[neighbor] = (cost, hops)
                    } else if cost == existing.cost {
                        candidates[neighbor] = (cost, existing.hops.union(hops))
                    }
                } else {
                    candidates[neighbor] = (cost, hops)
                }
            }
        }

        // Stage 2: stub networks of the routers in the tree.
        var best: [OSPFPrefix: (cost: UInt32, hops: Set<OSPFNextHop>, router: IPv4Address, connected: Bool)] = [:]
        for vertex in tree {
            guard let lsa = routers[vertex], let base = distance[vertex] else { continue }
            for link in lsa.links where link.type == .stub {
                let prefix = OSPFPrefix(network: link.linkID, mask: link.linkData)
                let cost = base + UInt32(link.metric)
                let connected = vertex == root
                if let existing = best[prefix] {
                    if existing.connected { continue }
                    if connected || cost < existing.cost {
                        best[prefix] = (cost, nextHops[vertex] ?? [], vertex, connected)
                    } else if cost == existing.cost {
                        best[prefix] = (cost, existing.hops.union(nextHops[vertex] ?? []), existing.router, false)
                    }
                } else {
                    best[prefix] = (cost, nextHops[vertex] ?? [], vertex, connected)
                }
            }
        }
        var routes: [OSPFPrefix: OSPFRoute] = [:]
        for (prefix, entry) in best where !entry.connected && !entry.hops.isEmpty {
            routes[prefix] = OSPFRoute(
                prefix: prefix, cost: entry.cost, pathType: .intraArea, nextHops: entry.hops.sorted(),
                advertisingRouter: entry.router)
        }

        // Stage 3: inter-area destinations from summary-LSAs (§16.2).
        var interArea: [OSPFPrefix: OSPFRoute] = [:]
        for (header, body) in summaries {
            let border = header.advertisingRouter
            guard border != root, body.metric < OSPFv2SummaryLSA.lsInfinity, let base = distance[border],
                let hops = nextHops[border], !hops.isEmpty
            else { continue }
            let prefix = OSPFPrefix(network: header.linkStateID, mask: body.networkMask)
            guard best[prefix] == nil else { continue }
            let cost = base + body.metric
            if let existing = interArea[prefix] {
                if cost > existing.cost { continue }
                if cost == existing.cost {
                    interArea[prefix]?.nextHops = Set(existing.nextHops).union(hops).sorted()
                    continue
                }
            }
            interArea[prefix] = OSPFRoute(
                prefix: prefix, cost: cost, pathType: .interArea, nextHops: hops.sorted(), advertisingRouter: border)
        }
        routes.merge(interArea) { intra, _ in intra }
        return routes
    }
}
