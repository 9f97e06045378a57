import Foundation

/// Reads one source on its own thread, a few batches ahead of the steps and writers, so that
/// parsing and writing use both cores. The queue is bounded (memory stays a few batches), and
/// the consumer can cancel it; `next()` rethrows the reader's error in order.
final class BatchProducer: @unchecked Sendable {
    private enum Item { case batch(Batch, Double?), failed(SourceError) }

    private let reader: any SourceReader
    private var sink: RowSink
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var finished = false
    private var cancelled = false
    private var running = true
    private let capacity: Int
    /// Rows the sink was handed, valid once `next()` has returned nil.
    private(set) var rowsRead = 0
    /// How far through its file the reader was at the batch `next()` last returned (nil: unknown).
    private(set) var fractionRead: Double?

    init(reader: any SourceReader, sink: RowSink, capacity: Int = 4) {
        self.reader = reader
        self.sink = sink
        self.capacity = capacity
    }

    func start() {
        let t = Thread { [self] in produce() }
        t.stackSize = 8 << 20
        t.start()
    }

    private func produce() {
        var more = true
        while more {
            let item: Item
            do {
                more = try reader.read(into: &sink)
                item = .batch(sink.take(), reader.fractionRead)
            } catch {
                item = .failed(error)
                more = false
            }
            condition.lock()
            while queue.count >= capacity && !cancelled { condition.wait() }
            let stop = cancelled
            if !stop { queue.append(item) }
            condition.broadcast()
            condition.unlock()
            if stop { break }
        }
        condition.lock()
        rowsRead = sink.rowsRead
        finished = true
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, or nil when the source is done.
    func next() throws(SourceError) -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if queue.isEmpty { return nil }
        let item = queue.removeFirst()
        condition.broadcast()
        switch item {
        case .batch(let b, let f): fractionRead = f; return b
        case .failed(let e): throw e
        }
    }

    /// Stops the reader thread and waits for it, so the reader can be closed safely.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }
}
