import Foundation
import Hummingbird
import OpenFlow

/// An error answer of the REST API, always with a JSON body:
///
///     {"status": 400, "error": "bad_request", "message": "...", "field": "match.eth_type"}
///
/// `error` is a stable code (`bad_request`, `unknown_switch`, `unknown_host`, `no_path`,
/// `switch_error`, `switch_timeout`, `switch_disconnected`, `not_found`); `field` names the
/// offending request field; a switch's `OFPT_ERROR`s are listed in `openflow_errors`.
public struct APIError: Error, HTTPResponseError, Hashable, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var datapathID: UInt64?
    public var openFlowErrors: [OpenFlowErrorJSON]
    public var timeoutMilliseconds: Int64?

    public init(
        status: HTTPResponse.Status, code: String, message: String, field: String? = nil, datapathID: UInt64? = nil,
        openFlowErrors: [OpenFlowErrorJSON] = [], timeoutMilliseconds: Int64? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.datapathID = datapathID
        self.openFlowErrors = openFlowErrors
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// 400: bad input, naming the field (nil: the body as a whole).
    static func badRequest(field: String?, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message, field: field)
    }

    /// 404: no switch with this datapath id is connected.
    static func unknownSwitch(_ datapathID: UInt64, field: String? = "dpid") -> APIError {
        APIError(
            status: .notFound, code: "unknown_switch",
            message: "no OpenFlow 1.3 switch with datapath id \(DatapathID.format(datapathID)) is connected",
            field: field, datapathID: datapathID)
    }

    /// 502: the switch answered with `OFPT_ERROR`.
    static func switchError(_ datapathID: UInt64, _ errors: [OpenFlowMessage]) -> APIError {
        let decoded = errors.map(OpenFlowErrorJSON.init)
        return APIError(
            status: .badGateway, code: "switch_error",
            message: "switch \(DatapathID.format(datapathID)) refused the request: "
                + decoded.map { "\($0.type)/\($0.codeName)" }.joined(separator: ", "),
            datapathID: datapathID, openFlowErrors: decoded)
    }

    /// 504: no answer in time.
    static func switchTimeout(_ datapathID: UInt64, after timeout: Duration) -> APIError {
        let ms = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        return APIError(
            status: .gatewayTimeout, code: "switch_timeout",
            message: "switch \(DatapathID.format(datapathID)) did not answer within \(ms) ms", datapathID: datapathID,
            timeoutMilliseconds: ms)
    }

    /// 502: the switch's connection closed before it answered.
    static func switchDisconnected(_ datapathID: UInt64, _ reason: String) -> APIError {
        APIError(
            status: .badGateway, code: "switch_disconnected",
            message: "switch \(DatapathID.format(datapathID)) disconnected before answering: \(reason)",
            datapathID: datapathID)
    }

    public var description: String { "\(status.code) \(code): \(message)" + (field.map { " (field \($0))" } ?? "") }

    struct Body: Encodable {
        var status: Int
        var error: String
        var message: String
        var field: String?
        var dpid: String?
        var openflowErrors: [OpenFlowErrorJSON]?
        var timeoutMs: Int64?

        enum CodingKeys: String, CodingKey {
            case status, error, message, field, dpid
            case openflowErrors = "openflow_errors"
            case timeoutMs = "timeout_ms"
        }
    }

    var body: Body {
        Body(
            status: status.code, error: code, message: message, field: field, dpid: datapathID.map(DatapathID.format),
            openflowErrors: openFlowErrors.isEmpty ? nil : openFlowErrors, timeoutMs: timeoutMilliseconds)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        NorthboundJSON.response(body, status: status)
    }
}

/// One `OFPT_ERROR` as the API reports it:
/// `{"type": "OFPET_BAD_MATCH", "code": "OFPBMC_BAD_PREREQ", "type_number": 4, "code_number": 9, "data": "hex"}`.
public struct OpenFlowErrorJSON: Hashable, Sendable, Encodable {
    public var type: String
    public var codeName: String
    public var typeNumber: UInt16
    public var codeNumber: UInt16
    /// The first bytes of the offending message, hex.
    public var data: String

    enum CodingKeys: String, CodingKey {
        case type, codeName = "code", typeNumber = "type_number", codeNumber = "code_number", data
    }

    init(_ message: OpenFlowMessage) {
        switch message {
        case .of13(.error(let error), _):
            self.init(
                type: "\(error.type)", codeName: error.codeName, typeNumber: error.type.rawValue, codeNumber: error.code,
                data: error.data.readableBytesView.map { String(format: "%02x", $0) }.joined())
        default:
            self.init(type: message.typeName, codeName: "", typeNumber: 0, codeNumber: 0, data: "")
        }
    }

    init(type: String, codeName: String, typeNumber: UInt16, codeNumber: UInt16, data: String) {
        self.type = type
        self.codeName = codeName
        self.typeNumber = typeNumber
        self.codeNumber = codeNumber
        self.data = data
    }
}
