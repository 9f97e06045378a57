import Foundation

/// Hands batches to the writers on a thread of their own, so the steps of one batch run while the
/// last one is being written (an XLSX writer's formatting and deflate is as much work as all the
/// steps together). The writers see the batches in order, one at a time, only ever from this
/// thread until `finish()` returns; the queue is bounded (memory stays a few batches). A writer's
/// error stops the thread and is rethrown by the next `send` or by `finish`.
final class BatchConsumer: @unchecked Sendable {
    private let writers: [any Writer]
    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var closed = false
    private var running = false
    private var failure: (any Error)?
    private let capacity: Int

    init(writers: [any Writer], capacity: Int = 3) {
        self.writers = writers
        self.capacity = capacity
    }

    func start() {
        guard !writers.isEmpty else { return }
        running = true
        let t = Thread { [self] in consume() }
        t.stackSize = 8 << 20
        t.start()
    }

    private func consume() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty || failure != nil {
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                for w in writers { try w.write(batch) }
            } catch {
                condition.lock()
                failure = error
                queue.removeAll()
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
        }
    }

    /// Queues a batch for the writers (waiting while the queue is full).
    func send(_ batch: Batch) throws {
        guard !writers.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && running && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(batch)
        condition.broadcast()
    }

    /// Waits until every queued batch is written; rethrows a writer's error.
    func finish() throws {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while running { condition.wait() }
        if let failure { throw failure }
    }

    /// Stops the thread (dropping what is queued) and waits for it, so the writers can be aborted.
    func cancel() {
        condition.lock()
        closed = true
        queue.removeAll()
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }
}
