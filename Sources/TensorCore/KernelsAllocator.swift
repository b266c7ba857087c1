/// The allocator setting that makes training steps reuse their memory.
extension Kernels {
    // MARK: - The memory allocator

    /// Keeps freed memory in the process for reuse; evaluated once, on the
    /// first tensor (see `Tensor.init`).
    ///
    /// Every operation allocates its result array and every training step
    /// frees them all at the end. With its default settings glibc's `malloc`
    /// hands free memory at the top of the heap back to the system as soon as
    /// more than 128 KB is free there, and serves blocks of 128 KB or more
    /// (a 256 x 256 activation) by `mmap`, so the next step has to fault the
    /// same pages in again, one 4 KB page at a time: that took a quarter of a
    /// DQN update and half of a SAC update. Raising both thresholds (64 MB of
    /// free heap kept, `mmap` only from 16 MB) makes the next step reuse the
    /// pages (`Platform.tuneAllocator`, glibc's `mallopt`). Other platforms'
    /// allocators are left alone.
    static let allocatorTuned: Bool = Platform.tuneAllocator()
}
