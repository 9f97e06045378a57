import Foundation

/// Reads a table's sources, in order, on a thread of its own, a few batches ahead of the steps
/// and writers, so that parsing and the steps use both cores. Each batch gets what the runner
/// gives a batch as it arrives (`arrive`: the source's own issues, `set:` values) and goes
/// through the table's first `steps` here, on this thread. `next()` hands the batches over in
/// order, each source closed by its count of rows read, and rethrows an error where it happened.
///
/// **Reading ahead.** A later table's first steps — those before the first that looks up an
/// earlier table or holds rows — need nothing of the tables before it. Its producer starts at
/// once (`readAhead`): while the earlier tables stream, it reads and runs those steps at the
/// lowest priority (nice 19: it takes little but what they leave of the machine), holding up to a
/// memory budget of batches. When the table's turn comes (`begin`), a thread of normal priority,
/// made with it and waiting until then, goes on from where it got to, once the low one has
/// finished the batch in hand; it reads on while what was read ahead is handed over, holding no
/// more than that, then a few batches ahead. The run gives the same rows and issues, in the same
/// order, either way.
final class BatchProducer: @unchecked Sendable {
    enum Item {
        case batch(Batch, source: Int, fraction: Double?)
        /// Source `source` is read to its end; its reader was handed `rowsRead` rows.
        case end(source: Int, rowsRead: Int)
    }
    /// A reader's or a step's error, at source `source` (in reading order).
    struct Failure: Error {
        let source: Int
        let error: any Error
    }
    /// `early`: read ahead, before the table's turn.
    private enum Queued { case item(Item, bytes: Int, early: Bool), failed(Failure) }

    /// How many of the table's steps the batches have been through.
    let steps: Int
    private let order: [Runner.Opened]
    private let run: [any Step]
    private let makeSink: (Runner.Opened) -> RowSink
    private let arrive: (inout Batch, Runner.Opened, Bool) -> Void
    private let capacity: Int
    private var budget = 0
    private let condition = NSCondition()
    /// What the thread that reads once begun waits on (not woken by every batch read ahead).
    private let turn = NSCondition()
    private var queue: [Queued?] = []
    private var head = 0
    private var held = 0
    /// Bytes of the batches read ahead not yet handed over.
    private var backlog = 0
    private var ahead = false
    private var finished = false
    private var cancelled = false
    /// Threads not yet ended: the one reading ahead, and the one that reads once begun.
    private var running = 0
    private var earlyRunning = false
    /// Where the reading is: owned by the thread that reads (handed on under the lock).
    private var source = 0
    private var sink: RowSink?
    private var first = true

    /// `order`: the table's sources as the runner reads them; `steps`: those run here, first;
    /// `sink`: the sink a source's reader fills; `arrive`: what a batch gets as it comes from its
    /// reader (`first`: the source's first batch); `capacity`: batches ahead once begun.
    init(order: [Runner.Opened], steps: [any Step], capacity: Int = 4,
         sink: @escaping (Runner.Opened) -> RowSink, arrive: @escaping (inout Batch, Runner.Opened, Bool) -> Void) {
        self.order = order
        self.run = steps
        self.steps = steps.count
        self.capacity = capacity
        self.makeSink = sink
        self.arrive = arrive
    }

    /// Reads ahead, at the lowest priority, holding up to `budget` bytes of batches, until `begin`.
    func readAhead(budget: Int) {
        condition.lock()
        self.budget = budget
        ahead = true
        earlyRunning = true
        condition.unlock()
        spawn(early: true)
        spawn(early: false)   // waits for `begin`, and for the early one to stop
    }

    /// Reads (on from where reading ahead got to) a few batches ahead of `next()`; what was read
    /// ahead is handed over first.
    func begin() {
        condition.lock()
        let waiting = ahead
        ahead = false
        condition.broadcast()
        condition.unlock()
        if waiting { wake() } else { spawn(early: false) }
    }

    private func spawn(early: Bool) {
        condition.lock()
        running += 1
        condition.unlock()
        let t = Thread { [self] in work(early: early) }
        t.stackSize = 8 << 20
        t.start()
    }

    /// `early`: the thread reading ahead, before the table's turn; else the one that reads from then on.
    private func work(early: Bool) {
        // Nice 19, this thread's own on Linux: beside a thread of normal priority it gets about
        // 1/70 of a core. (Not SCHED_IDLE: a thread that has to finish its batch before the table's
        // turn can go on should not stall while another program keeps the cores busy.)
        if early { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19) }
        defer {
            condition.lock()
            running -= 1
            if early { earlyRunning = false }
            condition.broadcast()
            condition.unlock()
            if early { wake() }
        }
        if !early {
            turn.lock()
            while true {
                condition.lock()
                let wait = (ahead || earlyRunning) && !cancelled
                let go = !cancelled && !finished
                condition.unlock()
                if !wait { turn.unlock(); if go { break } else { return } }
                turn.wait()
            }
        }
        while source < order.count {
            let o = order[source]
            if sink == nil { sink = makeSink(o); first = true }
            var more = true
            while more {
                condition.lock()
                // Room: reading ahead, up to the budget; once begun, a few batches — or, while what
                // was read ahead is handed over, as many bytes as are left of it.
                while !cancelled && ahead == early && (early ? held >= budget : queue.count - head >= capacity && held - backlog >= backlog) { condition.wait() }
                let stop = cancelled || ahead != early
                condition.unlock()
                if stop { return }
                let queued: Queued
                do {
                    more = try o.reader.read(into: &sink!)
                    var batch = sink!.take()
                    arrive(&batch, o, first)
                    first = false
                    for step in run { try step.process(&batch) }
                    queued = .item(.batch(batch, source: source, fraction: o.reader.fractionRead), bytes: batch.footprint, early: early)
                } catch {
                    push(.failed(Failure(source: source, error: error)), last: true)
                    return
                }
                push(queued, last: false)
            }
            push(.item(.end(source: source, rowsRead: sink!.rowsRead), bytes: 0, early: early), last: source == order.count - 1)
            sink = nil
            source += 1
        }
        if order.isEmpty { push(nil, last: true) }
    }

    /// The thread waiting for its turn looks again (under `turn`'s lock: no wake-up is lost).
    private func wake() {
        turn.lock()
        turn.broadcast()
        turn.unlock()
    }

    private func push(_ q: Queued?, last: Bool) {
        condition.lock()
        if let q {
            queue.append(q)
            if case .item(_, let bytes, let early) = q {
                held += bytes
                if early { backlog += bytes }
            }
        }
        if last { finished = true }
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, or nil when every source is done. Call `begin` first.
    func next() throws(Failure) -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count && !finished { condition.wait() }
        guard head < queue.count else { return nil }
        let q = queue[head]!
        queue[head] = nil   // (a batch read ahead is freed once handed over)
        head += 1
        if head > 64 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        switch q {
        case .item(let item, let bytes, let early):
            held -= bytes
            if early { backlog -= bytes }
            return item
        case .failed(let f):
            throw f
        }
    }

    /// Stops the reading and waits for it, so the readers can be closed safely.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        wake()
        condition.lock()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}
