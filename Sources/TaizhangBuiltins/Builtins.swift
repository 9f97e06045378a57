import TaizhangCore
import TaizhangExec
import TaizhangLinkage
import TaizhangMemberLedger
import TaizhangReaders
import TaizhangFields
import TaizhangWriters
import TaizhangStore

/// Every built-in plugin, schema and issue type in one registry: the CLI's, and the tests'.
public enum Builtins {
    /// `freeXLHelper`: the executable that reads .xls files in a child process (the CLI itself).
    public static func registry(freeXLHelper: String? = nil) -> Registry {
        var r = Registry()
        Readers.register(into: &r, freeXLHelper: freeXLHelper)
        Fields.register(into: &r)
        Writers.register(into: &r)
        MemberLedger.register(into: &r)
        Exec.register(into: &r)
        Linkage.register(into: &r)
        StorePlugins.register(into: &r)
        return r
    }
}
