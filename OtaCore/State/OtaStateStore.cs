using OtaCore.Platform;

namespace OtaCore.State
{
    /// <summary>
    /// The OTA state record log in the <c>otadata</c> partition (docs/design.md section 4): two
    /// 4 KiB sectors of 4 record slots (1 KiB) each; the valid record with the highest seq over
    /// the 8 slots is current (ties: the lowest slot, sector 0 first). A state change writes
    /// seq + 1 into the next wholly erased slot after the current one in the same sector (no
    /// erase), else erases the other sector and writes its slot 0; a STAGED record also moves to
    /// a fresh sector when fewer than <see cref="InstallReserve"/> erased slots would remain after
    /// it, so the bootloader's INSTALLING and TRIAL never erase. In a slot: bitmap copy, record,
    /// CRC last, so a power cut leaves the previous record intact. Download progress is one bit
    /// per 4 KiB staging block, cleared (programmed) in the current record's bitmap without any erase.
    /// </summary>
    public class OtaStateStore
    {
        /// <summary>Size of one record sector.</summary>
        public const uint SectorLength = 0x1000;

        /// <summary>Size of one record slot (record, bitmap, trial counter); 4 per sector.</summary>
        public const uint SlotLength = 0x400;

        /// <summary>Record slots per sector.</summary>
        public const int SlotsPerSector = 4;

        /// <summary>Erased slots a STAGED record leaves after itself (the install boot's INSTALLING and TRIAL).</summary>
        public const int InstallReserve = 2;

        /// <summary>Staging block size covered by one bitmap bit.</summary>
        public const uint BlockSize = 0x1000;

        /// <summary>Number of blocks the bitmap covers (4096 = 16 MiB of staging).</summary>
        public const int MaxBlocks = OtaStateRecord.BitmapLength * 8;

        /// <summary>Number of trial boots the counter can record.</summary>
        public const int MaxTrialBoots = OtaStateRecord.TrialLength * 8;

        private readonly IFlashPartition _flash;
        private readonly byte[] _word = new byte[4]; // ClearBit's read-modify-write word: no allocation per durable block
        private readonly byte[] _probe = new byte[OtaStateRecord.Size]; // blank checks of slots
        private int _currentSector = -2;
        private int _currentSlot = -1;
        private OtaStateRecord _current;

        /// <summary>Creates a store over the otadata partition (at least two 4 KiB sectors).</summary>
        public OtaStateStore(IFlashPartition otadata)
        {
            if (otadata == null) throw new System.ArgumentNullException("otadata");
            if (otadata.Size < 2 * SectorLength)
            {
                throw new OtaException(OtaError.Config, "otadata partition '" + otadata.Name + "' is smaller than two 4 KiB sectors");
            }

            _flash = otadata;
        }

        /// <summary>Index (0 or 1) of the sector holding the current record, -1 when none is valid.</summary>
        public int CurrentSector
        {
            get
            {
                EnsureLoaded();
                return _currentSector;
            }
        }

        /// <summary>Slot (0..3) of the current record in <see cref="CurrentSector"/>, -1 when none is valid.</summary>
        public int CurrentSlot
        {
            get
            {
                EnsureLoaded();
                return _currentSlot;
            }
        }

        /// <summary>Partition offset of the current record's slot, -1 when none is valid.</summary>
        public long CurrentRecordOffset
        {
            get
            {
                EnsureLoaded();
                return _currentSector < 0 ? -1 : (long)SlotAddress(_currentSector, _currentSlot);
            }
        }

        /// <summary>The current state; <see cref="OtaState.None"/> when no valid record exists.</summary>
        public OtaState State
        {
            get
            {
                OtaStateRecord r = ReadCurrent();
                return r == null ? OtaState.None : r.State;
            }
        }

        /// <summary>
        /// Reads the 8 slots and returns the current record (a copy the caller may change and
        /// pass to <see cref="WriteNext"/>), or null when no slot holds a valid record.
        /// </summary>
        public OtaStateRecord ReadCurrent()
        {
            byte[] buf = new byte[OtaStateRecord.Size];
            OtaStateRecord best = null;
            int bestSector = -1;
            int bestSlot = -1;
            for (int s = 0; s < 2; s++)
            {
                for (int k = 0; k < SlotsPerSector; k++)
                {
                    _flash.Read(SlotAddress(s, k), buf, 0, OtaStateRecord.Size);
                    OtaStateRecord r = OtaStateRecord.TryParse(buf, 0);
                    if (r != null && (best == null || r.Seq > best.Seq))
                    {
                        best = r;
                        bestSector = s;
                        bestSlot = k;
                    }
                }
            }

            _current = best;
            _currentSector = bestSector;
            _currentSlot = bestSlot;
            return best == null ? null : best.Clone();
        }

        /// <summary>
        /// Writes <paramref name="next"/> as the new current record into the next slot (see the
        /// class summary), with seq = current seq + 1 (1 when none; stored back into
        /// <paramref name="next"/>). With <paramref name="keepProgress"/> the current download
        /// bitmap is copied first, so durable blocks stay durable. The trial boot counter always
        /// starts fresh.
        /// </summary>
        public void WriteNext(OtaStateRecord next, bool keepProgress)
        {
            if (next == null) throw new System.ArgumentNullException("next");
            if (next.State == OtaState.None) throw new OtaException(OtaError.StateTransition, "state NONE cannot be written");
            EnsureLoaded();
            int targetSector;
            int targetSlot;
            bool erase;
            NextSlot(next.State, out targetSector, out targetSlot, out erase);
            uint seq = _current == null ? 1 : _current.Seq + 1;
            if (seq == 0xFFFFFFFF) seq = 1; // unreachable in practice (4 billion writes)
            uint baseAddr = SlotAddress(targetSector, targetSlot);
            byte[] bitmap = null;
            if (keepProgress && _current != null)
            {
                bitmap = new byte[OtaStateRecord.BitmapLength];
                _flash.Read(SlotAddress(_currentSector, _currentSlot) + OtaStateRecord.BitmapOffset, bitmap, 0, bitmap.Length);
            }

            if (erase)
            {
                _flash.Erase((uint)targetSector * SectorLength, SectorLength);
            }

            if (bitmap != null && !AllErased(bitmap))
            {
                _flash.Write(baseAddr + OtaStateRecord.BitmapOffset, bitmap, 0, bitmap.Length);
            }

            next.Seq = seq;
            byte[] rec = new byte[OtaStateRecord.Size];
            next.WriteTo(rec, 0);
            _flash.Write(baseAddr, rec, 0, OtaStateRecord.CrcOffset);
            _flash.Write(baseAddr + OtaStateRecord.CrcOffset, rec, OtaStateRecord.CrcOffset, 4);
            _current = next.Clone();
            _currentSector = targetSector;
            _currentSlot = targetSlot;
        }

        /// <summary>
        /// Records staging block <paramref name="block"/> (4 KiB) as fully written and durable by
        /// clearing its bitmap bit in the current record (one 4-byte program, no erase).
        /// StateNoneValid without a current record, StateBitmapFull beyond <see cref="MaxBlocks"/>.
        /// </summary>
        public void MarkBlockDurable(int block)
        {
            ClearBit(OtaStateRecord.BitmapOffset, OtaStateRecord.BitmapLength, block, OtaError.StateBitmapFull);
        }

        /// <summary>True when block <paramref name="block"/> is marked durable in the current record.</summary>
        public bool IsBlockDurable(int block)
        {
            if (block < 0 || block >= MaxBlocks) return false;
            EnsureLoaded();
            if (_currentSector < 0) return false;
            byte[] b = new byte[1];
            _flash.Read(SlotAddress(_currentSector, _currentSlot) + OtaStateRecord.BitmapOffset + (uint)(block >> 3), b, 0, 1);
            return (b[0] & (1 << (block & 7))) == 0;
        }

        /// <summary>Number of blocks marked durable (cleared bitmap bits) in the current record.</summary>
        public int CountDurableBlocks()
        {
            return CountCleared(OtaStateRecord.BitmapOffset, OtaStateRecord.BitmapLength);
        }

        /// <summary>
        /// The number of leading blocks 0..n-1 that are all durable: where a resumed download of
        /// <paramref name="blockCount"/> blocks continues.
        /// </summary>
        public int CountLeadingDurableBlocks(int blockCount)
        {
            EnsureLoaded();
            if (_currentSector < 0) return 0;
            byte[] bitmap = new byte[OtaStateRecord.BitmapLength];
            _flash.Read(SlotAddress(_currentSector, _currentSlot) + OtaStateRecord.BitmapOffset, bitmap, 0, bitmap.Length);
            int n = blockCount < MaxBlocks ? blockCount : MaxBlocks;
            for (int i = 0; i < n; i++)
            {
                if ((bitmap[i >> 3] & (1 << (i & 7))) != 0) return i;
            }

            return n;
        }

        /// <summary>Number of trial boots recorded (cleared trial-counter bits) in the current record.</summary>
        public int CountTrialBoots()
        {
            return CountCleared(OtaStateRecord.TrialOffset, OtaStateRecord.TrialLength);
        }

        /// <summary>Records one more trial boot (clears the next trial-counter bit); returns the new count.</summary>
        public int AddTrialBoot()
        {
            int n = CountTrialBoots();
            ClearBit(OtaStateRecord.TrialOffset, OtaStateRecord.TrialLength, n, OtaError.StateBitmapFull);
            return n + 1;
        }

        /// <summary>
        /// Where the next record goes: the first wholly erased slot after the current one in the
        /// same sector (slots with any programmed byte are passed over); a STAGED record needs
        /// <see cref="InstallReserve"/> more erased slots after its own; else slot 0 of the other
        /// sector, erased first. The first record goes to sector 0 slot 0 (erased unless blank).
        /// </summary>
        private void NextSlot(OtaState state, out int sector, out int slot, out bool erase)
        {
            if (_currentSector < 0)
            {
                sector = 0;
                slot = 0;
                erase = !IsBlank(0, SectorLength);
                return;
            }

            int found = -1;
            int after = 0;
            for (int k = _currentSlot + 1; k < SlotsPerSector; k++)
            {
                if (!IsBlank(SlotAddress(_currentSector, k), SlotLength)) continue;
                if (found < 0) found = k;
                else after++;
            }

            if (found >= 0 && (state != OtaState.Staged || after >= InstallReserve))
            {
                sector = _currentSector;
                slot = found;
                erase = false;
                return;
            }

            sector = _currentSector == 0 ? 1 : 0;
            slot = 0;
            erase = true;
        }

        private bool IsBlank(uint address, uint length)
        {
            byte[] b = _probe;
            for (uint o = 0; o < length; o += (uint)b.Length)
            {
                _flash.Read(address + o, b, 0, b.Length);
                if (!AllErased(b)) return false;
            }

            return true;
        }

        private static uint SlotAddress(int sector, int slot)
        {
            return (uint)sector * SectorLength + (uint)slot * SlotLength;
        }

        private void EnsureLoaded()
        {
            if (_currentSector == -2) ReadCurrent();
        }

        private void ClearBit(int regionOffset, int regionLength, int bit, OtaError tooFar)
        {
            if (bit < 0 || bit >= regionLength * 8)
            {
                throw new OtaException(tooFar, "bit " + bit.ToString() + " is beyond the " + (regionLength * 8).ToString() + " the state sector holds");
            }

            EnsureLoaded();
            if (_currentSector < 0) throw new OtaException(OtaError.StateNoneValid, "no valid OTA state in otadata to update");
            uint addr = SlotAddress(_currentSector, _currentSlot) + (uint)regionOffset + (uint)((bit >> 5) << 2);
            byte[] w = _word;
            _flash.Read(addr, w, 0, 4);
            int bi = (bit >> 3) & 3;
            byte mask = (byte)(1 << (bit & 7));
            if ((w[bi] & mask) == 0) return;
            w[bi] = (byte)(w[bi] & ~mask);
            _flash.Write(addr, w, 0, 4);
        }

        private int CountCleared(int regionOffset, int regionLength)
        {
            EnsureLoaded();
            if (_currentSector < 0) return 0;
            byte[] b = new byte[regionLength];
            _flash.Read(SlotAddress(_currentSector, _currentSlot) + (uint)regionOffset, b, 0, regionLength);
            int n = 0;
            for (int i = 0; i < regionLength; i++)
            {
                int v = ~b[i] & 0xFF;
                while (v != 0)
                {
                    n += v & 1;
                    v >>= 1;
                }
            }

            return n;
        }

        private static bool AllErased(byte[] b)
        {
            for (int i = 0; i < b.Length; i++)
            {
                if (b[i] != 0xFF) return false;
            }

            return true;
        }
    }
}
