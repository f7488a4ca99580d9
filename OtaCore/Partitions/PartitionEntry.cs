namespace OtaCore.Partitions
{
    /// <summary>One partition: an ESP-IDF table entry (name, type, subtype, offset, size, flags).</summary>
    public class PartitionEntry
    {
        /// <summary>Flag bit 0: <c>encrypted</c>.</summary>
        public const uint FlagEncrypted = 1;
        /// <summary>Flag bit 1: <c>readonly</c>.</summary>
        public const uint FlagReadOnly = 2;
        /// <summary>Longest name the 16-byte binary field holds.</summary>
        public const int MaxNameLength = 16;

        /// <summary>Creates an entry.</summary>
        public PartitionEntry(string name, int type, int subType, uint offset, uint size, uint flags)
        {
            Name = name;
            Type = type;
            SubType = subType;
            Offset = offset;
            Size = size;
            Flags = flags;
        }

        /// <summary>Partition name (label), at most 16 ASCII characters.</summary>
        public string Name { get; set; }

        /// <summary>Type (<see cref="PartitionTypes.App"/>, <see cref="PartitionTypes.Data"/>, or another number).</summary>
        public int Type { get; set; }

        /// <summary>Subtype.</summary>
        public int SubType { get; set; }

        /// <summary>Absolute flash offset.</summary>
        public uint Offset { get; set; }

        /// <summary>Size in bytes.</summary>
        public uint Size { get; set; }

        /// <summary>Flags (<see cref="FlagEncrypted"/>, <see cref="FlagReadOnly"/>).</summary>
        public uint Flags { get; set; }

        /// <summary>1-based source line of the CSV row, 0 for a binary table.</summary>
        public int Line { get; set; }

        /// <summary>First byte after the partition.</summary>
        public ulong End
        {
            get { return (ulong)Offset + Size; }
        }

        /// <summary>The alignment this entry's offset needs: 64 KiB for app partitions, else 4 KiB.</summary>
        public uint RequiredAlignment
        {
            get { return Type == PartitionTypes.App ? 0x10000u : 0x1000u; }
        }
    }
}
