using System;
using System.Text;
using OtaCore;

namespace DeviceApp.Bindings.Host
{
    /// <summary>How an injected power cut hits the flash operation it lands on (otahost.h).</summary>
    public enum PowerCutMode
    {
        /// <summary>Power goes before the operation: nothing of it happens.</summary>
        Before = 0,
        /// <summary>Power goes right after the operation completed.</summary>
        After = 1,
        /// <summary>The operation is torn: part of the page programmed / sector partly erased.</summary>
        Torn = 2,
    }

    /// <summary>
    /// One opened flash image file through libotahost (NOR rules enforced, fault injection, wear
    /// counters). Every failure throws <see cref="OtaException"/> with the C error code. Not
    /// thread-safe: the simulated device has one flash user at a time.
    /// </summary>
    public sealed class HostFlash : IDisposable
    {
        private IntPtr _handle;

        private HostFlash(IntPtr handle, string path)
        {
            _handle = handle;
            Path = path;
        }

        /// <summary>The flash image file.</summary>
        public string Path { get; }

        /// <summary>Flash size in bytes.</summary>
        public uint Size => OtaHostLibrary.FlashSize(Handle);

        /// <summary>Program + erase operations since open (the index power cuts count).</summary>
        public ulong OperationCount => OtaHostLibrary.FlashOpCount(Handle);

        /// <summary>Opens (creating erased if absent) a flash file of <paramref name="size"/> bytes.</summary>
        public static HostFlash Open(string path, uint size)
        {
            OtaHostLibrary.EnsureLoaded();
            IntPtr h = OtaHostLibrary.FlashOpen(path, size);
            if (h == IntPtr.Zero)
                throw new OtaException(OtaError.FlashIo, "cannot open flash file " + path + " as " + size + " bytes");
            return new HostFlash(h, path);
        }

        /// <summary>Opens an existing flash file with its current size.</summary>
        public static HostFlash Open(string path)
        {
            var info = new System.IO.FileInfo(path);
            if (!info.Exists) throw new OtaException(OtaError.Io, "flash file " + path + " does not exist");
            return Open(path, checked((uint)info.Length));
        }

        /// <summary>Reads bytes at an absolute flash address.</summary>
        public unsafe void Read(uint address, byte[] buffer, int offset, int count)
        {
            CheckBuffer(buffer, offset, count);
            fixed (byte* p = buffer)
                Check(OtaHostLibrary.FlashRead(Handle, address, p + offset, (uint)count), "read", address, count);
        }

        /// <summary>Programs bytes at an absolute address, split into page-bounded operations.</summary>
        public unsafe void Program(uint address, byte[] buffer, int offset, int count)
        {
            CheckBuffer(buffer, offset, count);
            fixed (byte* p = buffer)
            {
                int done = 0;
                while (done < count)
                {
                    uint a = address + (uint)done;
                    int inPage = (int)Math.Min(256 - (a % 256), (uint)(count - done));
                    Check(OtaHostLibrary.FlashProgram(Handle, a, p + offset + done, (uint)inPage), "program", a, inPage);
                    done += inPage;
                }
            }
        }

        /// <summary>Erases a sector-aligned range.</summary>
        public void Erase(uint address, uint length)
        {
            Check(OtaHostLibrary.FlashErase(Handle, address, length), "erase", address, (int)length);
        }

        /// <summary>Cuts the power during operation number <paramref name="opIndex"/> (0 = never).</summary>
        public void SetPowerCut(ulong opIndex, PowerCutMode mode, uint seed)
        {
            Check(OtaHostLibrary.FlashSetPowerCut(Handle, opIndex, (int)mode, seed), "set power cut", 0, 0);
        }

        /// <summary>Sets the timing model the modelled time counts with (the flash does not wait).</summary>
        public void SetTiming(FlashTiming timing)
        {
            if (timing == null) throw new ArgumentNullException(nameof(timing));
            Check(OtaHostLibrary.FlashSetTiming(Handle, timing.SectorEraseUs, timing.BlockEraseUs, timing.PageProgramUs, timing.ReadBytesPerMs), "set timing", 0, 0);
        }

        /// <summary>Counters and modelled time since open.</summary>
        public unsafe FlashStats Stats
        {
            get
            {
                OtaHostLibrary.Stats s;
                Check(OtaHostLibrary.FlashStats(Handle, &s), "stats", 0, 0);
                return new FlashStats
                {
                    Operations = s.Ops, Programs = s.Programs, SectorErases = s.SectorErases, BlockErases = s.BlockErases,
                    BytesProgrammed = s.BytesProgrammed, Reads = s.Reads, BytesRead = s.BytesRead, ModelledUs = s.ModelledUs,
                    EraseUs = s.EraseUs, ProgramUs = s.ProgramUs, ReadUs = s.ReadUs,
                };
            }
        }

        /// <summary>Erases of the 4 KiB sector holding <paramref name="address"/> since open.</summary>
        public uint EraseCount(uint address) => OtaHostLibrary.FlashEraseCount(Handle, address);

        /// <summary>
        /// One boot of the native bootloader (otahost_boot): returns its error code (0 = an app
        /// runs) and the JSON report in <paramref name="json"/>.
        /// </summary>
        public unsafe int Boot(out string json)
        {
            var buf = new byte[8192];
            int rc;
            fixed (byte* p = buf) rc = OtaHostLibrary.Boot(Handle, p, (uint)buf.Length);
            int n = Array.IndexOf(buf, (byte)0);
            json = Encoding.UTF8.GetString(buf, 0, n < 0 ? buf.Length : n);
            return rc;
        }

        /// <summary>A view of one partition of this flash.</summary>
        public HostFlashPartition Partition(string name, uint offset, uint size) => new HostFlashPartition(this, name, offset, size);

        /// <summary>Closes the file (pending writes are already on disk).</summary>
        public void Dispose()
        {
            if (_handle != IntPtr.Zero)
            {
                OtaHostLibrary.FlashClose(_handle);
                _handle = IntPtr.Zero;
            }
        }

        private IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(HostFlash));

        private static void CheckBuffer(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
        }

        private static void Check(int rc, string what, uint address, int count)
        {
            if (rc != 0)
                throw new OtaException((OtaError)rc, "flash " + what + " at 0x" + address.ToString("X") + " (" + count + " bytes)");
        }
    }
}
