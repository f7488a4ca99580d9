using OtaCore;
using OtaCore.Platform;

namespace OtaCore.Tests
{
    /// <summary>
    /// NOR flash partition in RAM for the state-store tests: erase sets 0xFF, program may only
    /// clear bits (FlashNor otherwise), bounds and sector alignment are checked, and a power cut
    /// can be injected after a number of programmed bytes (the fault the store must survive).
    /// </summary>
    public class StateTestFlash : IFlashPartition
    {
        private readonly byte[] _mem;

        public StateTestFlash(uint size)
        {
            _mem = new byte[size];
            for (int i = 0; i < _mem.Length; i++) _mem[i] = 0xFF;
            CutAfterBytes = -1;
        }

        public StateTestFlash(byte[] image)
        {
            _mem = (byte[])image.Clone();
            CutAfterBytes = -1;
        }

        /// <summary>When &gt;= 0: programming stops (power cut) after this many more bytes.</summary>
        public int CutAfterBytes { get; set; }

        public int Programs { get; private set; }

        public int Erases { get; private set; }

        public byte[] Memory
        {
            get { return _mem; }
        }

        public string Name
        {
            get { return "otadata"; }
        }

        public uint Offset
        {
            get { return 0x1E000; }
        }

        public uint Size
        {
            get { return (uint)_mem.Length; }
        }

        public uint SectorSize
        {
            get { return 0x1000; }
        }

        public void Read(uint address, byte[] buffer, int offset, int count)
        {
            Check(address, (uint)count);
            System.Array.Copy(_mem, (int)address, buffer, offset, count);
        }

        public void Write(uint address, byte[] buffer, int offset, int count)
        {
            Check(address, (uint)count);
            for (int i = 0; i < count; i++)
            {
                byte b = buffer[offset + i];
                if ((b & ~_mem[address + i] & 0xFF) != 0) throw new OtaException(OtaError.FlashNor, "bit 0->1 at 0x" + (address + i).ToString("X"));
            }

            Programs++;
            for (int i = 0; i < count; i++)
            {
                if (CutAfterBytes == 0) throw new OtaException(OtaError.FlashPowerCut, "power cut");
                if (CutAfterBytes > 0) CutAfterBytes--;
                _mem[address + i] = buffer[offset + i];
            }
        }

        public void Erase(uint address, uint length)
        {
            Check(address, length);
            if (address % SectorSize != 0 || length % SectorSize != 0) throw new OtaException(OtaError.FlashAlign, "erase not sector aligned");
            if (CutAfterBytes == 0) throw new OtaException(OtaError.FlashPowerCut, "power cut");
            Erases++;
            for (uint i = 0; i < length; i++) _mem[address + i] = 0xFF;
        }

        private void Check(uint address, uint count)
        {
            if ((ulong)address + count > (ulong)_mem.Length) throw new OtaException(OtaError.FlashRange, "outside");
        }
    }
}
