namespace OtaCore.Platform
{
    /// <summary>
    /// One flash partition as OtaCore sees it: NOR flash, addresses relative to the partition start.
    /// Erase sets bytes to 0xFF; program can only clear bits. Failures throw
    /// <see cref="OtaException"/> with FlashRange, FlashAlign, FlashNor, FlashIo or FlashPowerCut.
    /// Device binding: nanoFramework InternalCall into bootloader-native/interop; host binding:
    /// P/Invoke into libotahost (the same C flash code the bootloader uses).
    /// </summary>
    public interface IFlashPartition
    {
        /// <summary>Partition name from the partition table ("app_ota").</summary>
        string Name { get; }

        /// <summary>Absolute flash offset of the partition.</summary>
        uint Offset { get; }

        /// <summary>Partition size in bytes.</summary>
        uint Size { get; }

        /// <summary>Erase unit in bytes (4096 on ESP32 flash).</summary>
        uint SectorSize { get; }

        /// <summary>Reads <paramref name="count"/> bytes at <paramref name="address"/>.</summary>
        void Read(uint address, byte[] buffer, int offset, int count);

        /// <summary>Programs bytes (NOR: only 1 to 0 transitions are possible).</summary>
        void Write(uint address, byte[] buffer, int offset, int count);

        /// <summary>Erases whole sectors; address and length must be sector multiples.</summary>
        void Erase(uint address, uint length);
    }
}
