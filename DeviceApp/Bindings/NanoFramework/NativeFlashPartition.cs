using OtaCore;
using OtaCore.Platform;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>
    /// <see cref="IFlashPartition"/> over the device's SPI flash through <see cref="OtaNative"/>
    /// (the bootloader's flash HAL). Partition-relative addresses are checked here. Called from
    /// two threads during a pipelined download (the engine's staging worker erases and programs
    /// app_ota and the progress bits in otadata; the status listener reads otadata): each call is
    /// one InternalCall, which the nanoFramework interpreter runs to completion before it switches
    /// managed threads, so flash operations never interleave. The instance holds no mutable state.
    /// </summary>
    public class NativeFlashPartition : IFlashPartition
    {
        private readonly string _name;
        private readonly uint _offset;
        private readonly uint _size;

        private NativeFlashPartition(string name, uint offset, uint size)
        {
            _name = name;
            _offset = offset;
            _size = size;
        }

        /// <summary>Looks <paramref name="name"/> up in the partition table on flash.</summary>
        public static NativeFlashPartition Open(string name)
        {
            uint offset;
            uint size;
            Check(OtaNative.FindPartition(name, out offset, out size), "find partition " + name);
            return new NativeFlashPartition(name, offset, size);
        }

        /// <inheritdoc />
        public string Name
        {
            get { return _name; }
        }

        /// <inheritdoc />
        public uint Offset
        {
            get { return _offset; }
        }

        /// <inheritdoc />
        public uint Size
        {
            get { return _size; }
        }

        /// <inheritdoc />
        public uint SectorSize
        {
            get { return 4096; }
        }

        /// <inheritdoc />
        public void Read(uint address, byte[] buffer, int offset, int count)
        {
            CheckRange(address, (uint)count);
            Check(OtaNative.FlashRead(_offset + address, buffer, offset, count), "read");
        }

        /// <inheritdoc />
        public void Write(uint address, byte[] buffer, int offset, int count)
        {
            CheckRange(address, (uint)count);
            Check(OtaNative.FlashWrite(_offset + address, buffer, offset, count), "write");
        }

        /// <inheritdoc />
        public void Erase(uint address, uint length)
        {
            CheckRange(address, length);
            Check(OtaNative.FlashErase(_offset + address, length), "erase");
        }

        private void CheckRange(uint address, uint count)
        {
            if (address > _size || count > _size - address)
            {
                throw new OtaException(OtaError.FlashRange, _name + ": " + address + "+" + count + " outside " + _size + " bytes");
            }
        }

        internal static void Check(int rc, string what)
        {
            if (rc != 0)
            {
                throw new OtaException((OtaError)rc, "flash " + what);
            }
        }
    }
}
