import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether two paths name the same file: the same path once symlinks and `..` are resolved, or
/// (for existing files) the same device and inode, so a hard link or a bind mount is caught too.
public enum FileIdentity {
    public static func same(_ a: String, _ b: String) -> Bool {
        if a == "-" || b == "-" { return a == b }
        if canonical(a) == canonical(b) { return true }
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        // Standard output or a terminal is not "a file the run reads".
        guard sa.st_mode & S_IFMT == S_IFREG else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// True for `-` and for an existing file that is not a regular file (a device, a pipe).
    public static func isSpecial(_ p: String) -> Bool {
        if p == "-" { return true }
        var st = stat()
        return stat(p, &st) == 0 && st.st_mode & S_IFMT != S_IFREG && st.st_mode & S_IFMT != S_IFDIR
    }

    /// The path with symlinks and `.`/`..` resolved (as far as the file exists).
    public static func canonical(_ p: String) -> String {
        URL(fileURLWithPath: p).resolvingSymlinksInPath().standardizedFileURL.path
    }
}
