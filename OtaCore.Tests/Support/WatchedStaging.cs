#if !NANOFRAMEWORK_1_0
using System;
using System.Collections.Generic;
using System.Threading;
using OtaCore.Platform;
using OtaCore.State;

namespace OtaCore.Tests.Support
{
    /// <summary>
    /// The real libotahost staging partition seen through a recorder: which thread did each erase
    /// and page program, an injected fault at erase/program number <see cref="FailAtOp"/>, an
    /// optional pause before every program (a slow flash, so the worker falls behind and holds
    /// queued pages), and the durable-progress rule checked before every program: the 4 KiB
    /// block the page lands in must not be marked durable yet (a bit set before its pages are in
    /// flash would let a resume trust bytes that were never written).
    /// </summary>
    public sealed class WatchedStaging : IFlashPartition
    {
        private readonly IFlashPartition _inner;
        private readonly IFlashPartition _otadata;
        private readonly object _lock = new object();
        private readonly HashSet<int> _threads = new HashSet<int>();
        private int _ops;
        private long _programmedEnd;
        private string _violation;
        private Thread _lastThread;

        /// <summary>Watches <paramref name="inner"/>; <paramref name="otadata"/> (null = no check) holds the progress bitmap.</summary>
        public WatchedStaging(IFlashPartition inner, IFlashPartition otadata)
        {
            _inner = inner;
            _otadata = otadata;
        }

        /// <summary>1-based erase/program operation that throws <see cref="Fault"/> instead of running (0 = none).</summary>
        public int FailAtOp { get; set; }

        /// <summary>What the failing operation throws.</summary>
        public Exception Fault { get; set; } = new OtaException(OtaError.FlashIo, "injected staging flash fault");

        /// <summary>Milliseconds to wait before each page program.</summary>
        public int ProgramDelayMs { get; set; }

        /// <summary>Erase and program operations so far (the failing one included).</summary>
        public int Operations { get { lock (_lock) return _ops; } }

        /// <summary>End offset of the highest page programmed so far.</summary>
        public long ProgrammedEnd { get { lock (_lock) return _programmedEnd; } }

        /// <summary>The first breach of the durable-progress rule, or null.</summary>
        public string Violation { get { lock (_lock) return _violation; } }

        /// <summary>Managed thread ids that erased or programmed.</summary>
        public int[] Threads { get { lock (_lock) return new List<int>(_threads).ToArray(); } }

        /// <summary>The thread of the latest erase or program.</summary>
        public Thread LastThread { get { lock (_lock) return _lastThread; } }

        /// <inheritdoc />
        public string Name => _inner.Name;

        /// <inheritdoc />
        public uint Offset => _inner.Offset;

        /// <inheritdoc />
        public uint Size => _inner.Size;

        /// <inheritdoc />
        public uint SectorSize => _inner.SectorSize;

        /// <inheritdoc />
        public void Read(uint address, byte[] buffer, int offset, int count) => _inner.Read(address, buffer, offset, count);

        /// <inheritdoc />
        public void Write(uint address, byte[] buffer, int offset, int count)
        {
            Count();
            if (ProgramDelayMs > 0) Thread.Sleep(ProgramDelayMs);
            if (_otadata != null && new OtaStateStore(_otadata).IsBlockDurable((int)(address / OtaStateStore.BlockSize)))
            {
                lock (_lock) _violation ??= "block " + (address / OtaStateStore.BlockSize) + " marked durable before its page at 0x" + address.ToString("X") + " was programmed";
            }

            _inner.Write(address, buffer, offset, count);
            lock (_lock) _programmedEnd = Math.Max(_programmedEnd, address + (long)count);
        }

        /// <inheritdoc />
        public void Erase(uint address, uint length)
        {
            Count();
            _inner.Erase(address, length);
        }

        private void Count()
        {
            bool fail;
            lock (_lock)
            {
                _ops++;
                _threads.Add(Environment.CurrentManagedThreadId);
                _lastThread = Thread.CurrentThread;
                fail = _ops == FailAtOp;
            }

            if (fail) throw Fault;
        }
    }
}
#endif
