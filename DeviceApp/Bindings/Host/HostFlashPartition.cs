using OtaCore;
using OtaCore.Platform;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// <see cref="IFlashPartition"/> over a range of a <see cref="HostFlash"/>: partition-relative
    /// addresses are bounds-checked here (E301 FLASH_RANGE) and passed to the C flash code.
    /// </summary>
    public sealed class HostFlashPartition : IFlashPartition
    {
        private readonly HostFlash _flash;

        /// <summary>A partition of <paramref name="flash"/> at <paramref name="offset"/>.</summary>
        public HostFlashPartition(HostFlash flash, string name, uint offset, uint size)
        {
            _flash = flash;
            Name = name;
            Offset = offset;
            Size = size;
        }

        /// <inheritdoc />
        public string Name { get; }

        /// <inheritdoc />
        public uint Offset { get; }

        /// <inheritdoc />
        public uint Size { get; }

        /// <inheritdoc />
        public uint SectorSize => 4096;

        /// <inheritdoc />
        public void Read(uint address, byte[] buffer, int offset, int count)
        {
            CheckRange(address, (uint)count);
            _flash.Read(Offset + address, buffer, offset, count);
        }

        /// <inheritdoc />
        public void Write(uint address, byte[] buffer, int offset, int count)
        {
            CheckRange(address, (uint)count);
            _flash.Program(Offset + address, buffer, offset, count);
        }

        /// <inheritdoc />
        public void Erase(uint address, uint length)
        {
            CheckRange(address, length);
            _flash.Erase(Offset + address, length);
        }

        private void CheckRange(uint address, uint count)
        {
            if (address > Size || count > Size - address)
                throw new OtaException(OtaError.FlashRange, Name + ": 0x" + address.ToString("X") + "+" + count + " outside " + Size + " bytes");
        }
    }
}
