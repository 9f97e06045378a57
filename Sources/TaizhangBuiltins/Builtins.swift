import TaizhangCore
import TaizhangExec
import TaizhangLinkage
import TaizhangMemberLedger
import TaizhangReaders
import TaizhangFields
import TaizhangWriters

/// Every built-in plugin, schema and issue type in one registry: the CLI's, and the tests'.
public enum Builtins {
    public static func registry() -> Registry {
        var r = Registry()
        Readers.register(into: &r)
        Fields.register(into: &r)
        Writers.register(into: &r)
        MemberLedger.register(into: &r)
        Exec.register(into: &r)
        Linkage.register(into: &r)
        return r
    }
}
