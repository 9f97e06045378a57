import TaizhangCore

/// Records found to be one person after they had gone on down the pipeline, for the return to
/// count once. `step: duplicates` fills it; `member-return` (the step after it in one table)
/// merges the persons at its end, before it counts.
///
/// Two ways a record goes on as a person of its own though it is not one:
/// - **`policy: flag`** keeps every record of a person (each later one with a warning);
/// - **a later record joins two persons**: A, then B (not like A enough), then C like both — B
///   and A are one person, but B went on as a new person before C came (`keep-first` streams).
///
/// Each link is kept as two numbers (the record's source and row), 16 bytes.
final class SamePerson {
    /// The table's one list.
    static func shared(_ context: PluginContext) -> SamePerson { context.shared.object(SamePerson.self) { SamePerson() } }

    /// Whether the table has `step: duplicates` (people without an ID number are then matched),
    /// and `member-return` (its 人员变动 is then the table's one).
    var matching = false
    var counting = false

    /// (record, the record of the person it belongs to), each as ``place(_:_:)``.
    private(set) var links: [(record: UInt64, person: UInt64)] = []

    /// A record's place as one number: its source (each input, each sheet its own) and its row
    /// (its record, in a source of records such as JSON, whose rows may share a line).
    static func place(_ batch: borrowing Batch, _ r: Int) -> UInt64 {
        let at = batch.source.recordBased ? batch.recordNumbers[r] : batch.rowNumbers[r]
        return UInt64(UInt32(truncatingIfNeeded: batch.source.index)) << 32 | UInt64(UInt32(truncatingIfNeeded: at))
    }

    /// The record at `record` is the person whose record is at `person`.
    func link(_ record: UInt64, to person: UInt64) {
        links.append((record, person))
    }

    /// Pairs left for a clerk's review (a record that may be the person whose record is at
    /// `person`): the return counts them as two, and says how many await review — less those a
    /// later record has surely joined.
    private(set) var reviews: [(record: UInt64, person: UInt64)] = []

    func review(_ record: UInt64, of person: UInt64) {
        reviews.append((record, person))
    }
}
