using System.Threading;
using OtaCore.Platform;
using OtaCore.State;

namespace OtaCore.Download
{
    /// <summary>
    /// The flash side of a pipelined staging download (issue 9). A worker thread programs the
    /// pages the <see cref="StagingWriter"/> queues, in order, marks each 4 KiB block durable once
    /// its pages are in flash, and, whenever no page waits, erases the package's staging area ahead
    /// of the write pointer (a 64 KiB block erase where a whole aligned block lies inside the
    /// package, else one sector). The receiving thread only copies each page into a slot of the
    /// caller-owned ring and goes back to the network; it waits only when the ring is full. The
    /// flash does one operation at a time (NOR is busy during an erase), so erases and programs
    /// share the one worker. Nothing is allocated per page. Errors of the worker (flash errors, a
    /// power cut) are thrown to the caller at its next <see cref="Enqueue"/> or <see cref="Drain"/>.
    /// The worker thread ends by itself after a second without work (so an abandoned download
    /// leaves no thread behind) and is started again by the next page.
    /// </summary>
    public class StagingPipeline
    {
        private const int PageSize = 256;
        private const uint BlockEraseSize = 65536;
        private const int IdleExitMs = 1000;

        private readonly IFlashPartition _staging;
        private readonly OtaStateStore _store;
        private readonly byte[] _ring;
        private readonly int _slots;
        private readonly uint[] _addr;
        private readonly int[] _len;
        private readonly int[] _durableFrom;
        private readonly int[] _durableTo;
        private readonly object _lock = new object();
        private readonly AutoResetEvent _work = new AutoResetEvent(false);
        private readonly ManualResetEvent _space = new ManualResetEvent(true);
        private readonly ManualResetEvent _idle = new ManualResetEvent(true);
        private Thread _thread;
        private bool _spaceOpen = true;
        private bool _idleSet = true;
        private bool _waiting;
        private int _head;
        private int _count;
        private bool _busy;
        private bool _paused = true;
        private bool _stop;
        private System.Exception _error;
        private int _nextErase;
        private int _eraseEnd;

        /// <summary>
        /// Creates the pipeline for <paramref name="staging"/>; <paramref name="store"/> receives the
        /// durable-block marks. <paramref name="ring"/> (caller-owned, a multiple of 256 bytes, at
        /// least 512) holds the queued pages.
        /// </summary>
        public StagingPipeline(IFlashPartition staging, OtaStateStore store, byte[] ring)
        {
            if (ring == null || ring.Length < 2 * PageSize || ring.Length % PageSize != 0)
            {
                throw new System.ArgumentException("pipeline ring must be a multiple of 256 bytes, at least 512");
            }

            _staging = staging;
            _store = store;
            _ring = ring;
            _slots = ring.Length / PageSize;
            _addr = new uint[_slots];
            _len = new int[_slots];
            _durableFrom = new int[_slots];
            _durableTo = new int[_slots];
        }

        /// <summary>True while the worker thread exists (it ends itself after a second without work).</summary>
        public bool WorkerRunning
        {
            get
            {
                lock (_lock)
                {
                    return _thread != null;
                }
            }
        }

        /// <summary>Bytes of the page ring.</summary>
        public int RingSize
        {
            get { return _ring.Length; }
        }

        /// <summary>Flash operations the worker performed (programs and erases), for tests.</summary>
        public int Operations { get; private set; }

        /// <summary>
        /// Starts (or restarts) streaming a package of <paramref name="total"/> bytes whose sectors
        /// below <paramref name="nextEraseSector"/> are already erased (0 for a new package). Call
        /// only while drained.
        /// </summary>
        public void Start(long total, int nextEraseSector)
        {
            Quiesce();
            lock (_lock)
            {
                _nextErase = nextEraseSector;
                _eraseEnd = (int)((total + _staging.SectorSize - 1) / _staging.SectorSize);
                _error = null;
                _paused = false;
                _stop = false;
                EnsureWorker();
            }

            _work.Set();
        }

        /// <summary>
        /// Queues one page (at most 256 bytes, not crossing a page) for staging address
        /// <paramref name="address"/>; after it is programmed, progress blocks
        /// [<paramref name="durableFrom"/>, <paramref name="durableTo"/>) are marked durable.
        /// Copies the bytes; waits while the ring is full.
        /// </summary>
        public void Enqueue(long address, byte[] buffer, int offset, int count, int durableFrom, int durableTo)
        {
            int slot;
            while (true)
            {
                lock (_lock)
                {
                    if (_error != null)
                    {
                        ThrowError();
                    }

                    if (_count < _slots)
                    {
                        slot = (_head + _count) % _slots;
                        break;
                    }

                    SpaceOpen(false);
                }

                _space.WaitOne(); // the ring is full: the worker opens it again when half is free
            }

            System.Array.Copy(buffer, offset, _ring, slot * PageSize, count);
            bool wake;
            lock (_lock)
            {
                _addr[slot] = (uint)address;
                _len[slot] = count;
                _durableFrom[slot] = durableFrom;
                _durableTo[slot] = durableTo;
                _count++;
                Idle(false);
                EnsureWorker();
                // Signal only a worker that waits (or is about to): a busy one sees the page when
                // it next looks, so a burst of pages costs one wake-up, not one per page.
                wake = _waiting;
            }

            if (wake)
            {
                _work.Set();
            }
        }

        /// <summary>
        /// Waits until every queued page is programmed and no erase is running, and stops erasing
        /// ahead until the next <see cref="Start"/>; then throws the worker's error, if any.
        /// </summary>
        public void Drain()
        {
            Quiesce();
            ThrowIfFailed();
        }

        /// <summary>Throws the worker's error, if it had one, without waiting for it.</summary>
        public void ThrowIfFailed()
        {
            lock (_lock)
            {
                if (_error != null)
                {
                    ThrowError();
                }
            }
        }

        /// <summary>Like <see cref="Drain"/> but never throws (the error stays for the next call).</summary>
        public void Quiesce()
        {
            lock (_lock)
            {
                _paused = true;
                if (_count > 0 || _busy)
                {
                    Idle(false);
                }
            }

            _work.Set();
            _idle.WaitOne();
        }

        /// <summary>
        /// Drains (without throwing: queued pages are still programmed and marked durable, a
        /// worker error stays for the next call) and ends the worker thread; returns once it has
        /// ended. The next <see cref="Start"/> or <see cref="Enqueue"/> starts a new one.
        /// </summary>
        public void Stop()
        {
            Quiesce();
            Thread t;
            lock (_lock)
            {
                _stop = true;
                t = _thread;
                _thread = null;
            }

            _work.Set();
            if (t != null)
            {
                t.Join();
            }

            lock (_lock)
            {
                _stop = false;
            }
        }

        // The events change only when their state does (a Set/Reset per page would cost a system
        // call each). Under _lock.
        private void Idle(bool idle)
        {
            if (idle != _idleSet)
            {
                _idleSet = idle;
                if (idle)
                {
                    _idle.Set();
                }
                else
                {
                    _idle.Reset();
                }
            }
        }

        private void SpaceOpen(bool open)
        {
            if (open != _spaceOpen)
            {
                _spaceOpen = open;
                if (open)
                {
                    _space.Set();
                }
                else
                {
                    _space.Reset();
                }
            }
        }

        // Starts the worker unless it runs (it ends itself after IdleExitMs without work). Under _lock.
        private void EnsureWorker()
        {
            if (_thread == null && !_stop)
            {
                _thread = new Thread(Run);
                _thread.Start();
            }
        }

        private void ThrowError()
        {
            System.Exception e = _error;
            OtaException oe = e as OtaException;
            if (oe != null)
            {
                throw new OtaException(oe.Code, oe.Detail);
            }

            throw new OtaException(OtaError.FlashIo, "staging flash worker: " + e.Message);
        }

        private void Run()
        {
            while (true)
            {
                int slot = -1;
                bool erase = false;
                lock (_lock)
                {
                    if (_stop)
                    {
                        Idle(true);
                        return;
                    }

                    if (_error == null && _count > 0)
                    {
                        slot = _head;
                    }
                    else if (_error == null && !_paused && _nextErase < _eraseEnd)
                    {
                        erase = true;
                    }

                    _busy = slot >= 0 || erase;
                    if (!_busy)
                    {
                        Idle(true);
                        _waiting = true;
                    }
                }

                if (!_busy)
                {
                    bool woken = _work.WaitOne(IdleExitMs, false);
                    lock (_lock)
                    {
                        _waiting = false;
                        if (!woken && _count == 0 && !_busy && !_stop)
                        {
                            _thread = null; // nothing to do for a while: end; Enqueue/Start start a new one
                            Idle(true);
                            return;
                        }
                    }

                    continue;
                }

                try
                {
                    if (erase)
                    {
                        EraseNext();
                    }
                    else
                    {
                        uint a = _addr[slot];
                        int n = _len[slot];
                        int last = (int)((a + (uint)n - 1) / _staging.SectorSize);
                        while (_nextErase <= last)
                        {
                            EraseNext();
                        }

                        _staging.Write(a, _ring, slot * PageSize, n);
                        Operations++;
                        for (int b = _durableFrom[slot]; b < _durableTo[slot]; b++)
                        {
                            _store.MarkBlockDurable(b);
                        }

                        lock (_lock)
                        {
                            _head = (_head + 1) % _slots;
                            _count--;
                            // wake a waiting receiver once half the ring is free, not per page
                            if (_count <= _slots / 2)
                            {
                                SpaceOpen(true);
                            }
                        }
                    }
                }
                catch (System.Exception e)
                {
                    lock (_lock)
                    {
                        _error = e;
                        _count = 0;
                        SpaceOpen(true);
                    }
                }

                lock (_lock)
                {
                    _busy = false;
                }
            }
        }

        // Erases the next unit of the package's area: a 64 KiB block when it starts on an
        // absolute 64 KiB boundary and lies wholly inside the package, else one sector.
        private void EraseNext()
        {
            uint sector = _staging.SectorSize;
            uint addr = (uint)_nextErase * sector;
            int perBlock = (int)(BlockEraseSize / sector);
            if ((_staging.Offset + addr) % BlockEraseSize == 0 && _nextErase + perBlock <= _eraseEnd)
            {
                _staging.Erase(addr, BlockEraseSize);
                _nextErase += perBlock;
            }
            else
            {
                _staging.Erase(addr, sector);
                _nextErase++;
            }

            Operations++;
        }
    }
}
