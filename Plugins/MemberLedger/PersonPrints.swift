import Foundation
import Crypto
import TaizhangCore

/// Keyed fingerprints of the people a return counts, so that a higher unit adding up returns
/// (`taizhang merge`) counts each person once without anyone's ID number or name leaving the
/// office: HMAC-SHA256, under a key the offices of one chain share (`person_key_file:` or
/// TAIZHANG_PERSON_KEY), of the canonical ID number, and of the normalised name (简体, no spaces)
/// with the birth date and sex — so a record without an ID in one unit still meets the same
/// person's record with one in another. Fingerprints are cut to 128 bits. The key is never written;
/// `keyName` (a fingerprint of a fixed text) tells returns made with different keys apart.
struct PersonPrints {
    private let key: SymmetricKey
    let keyName: String
    private let simplifier = Simplifier()

    static let environment = "TAIZHANG_PERSON_KEY"

    /// nil when the pipeline names no key file and the environment holds no key.
    init?(options: Options, environment: [String: String] = ProcessInfo.processInfo.environment) throws(Diagnostics) {
        var secret: [UInt8]
        if let path = options.path("person_key_file") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Diagnostics([Diagnostic(.error, at: options.position(of: "person_key_file"),
                                              Message(zh: "无法读取密钥文件 \(path)", en: "cannot read the key file \(path)"))])
            }
            secret = Array(data)
        } else if let value = environment[Self.environment] {
            secret = Array(value.utf8)
        } else {
            return nil
        }
        if secret.starts(with: [0xEF, 0xBB, 0xBF]) { secret.removeFirst(3) }   // a BOM an editor added is not the key
        while let last = secret.last, [0x0A, 0x0D, 0x20, 0x09].contains(last) { secret.removeLast() }
        while let first = secret.first, [0x0A, 0x0D, 0x20, 0x09].contains(first) { secret.removeFirst() }
        guard secret.count >= 16 else {
            throw Diagnostics([Diagnostic(.error, at: options.position(of: "person_key_file"),
                Message(zh: "按人汇总的密钥太短（\(secret.count) 字节，至少 16）：用一段够长的随机文字，上下级用同一个",
                        en: "the person key is too short (\(secret.count) bytes, at least 16): use a long random text, the same across the chain"))])
        }
        key = SymmetricKey(data: secret)
        keyName = Self.hex(HMAC<SHA256>.authenticationCode(for: Array("taizhang person key".utf8), using: key), bytes: 8)
    }

    /// The fingerprint of a canonical ID number.
    func id(_ canonical: String) -> String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Array(("id:" + canonical.uppercased()).utf8), using: key), bytes: 16)
    }

    /// The fingerprint of a person by name, birth date and sex (as normalised; the name in 简体).
    func person(name: String?, birth: String?, sex: String?) -> String {
        let n = simplifier.name(name ?? "")
        let text = "person:\(n)|\(birth ?? "")|\(sex ?? "")"
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key), bytes: 16)
    }

    private static func hex(_ code: HMAC<SHA256>.MAC, bytes: Int) -> String {
        code.withUnsafeBytes { raw in raw.prefix(bytes).map { String(format: "%02x", $0) }.joined() }
    }
}
